//! `navigator show ID`: one service, every field.

use std::io::Write;
use std::path::Path;

use navigator_index::text::sanitize;

use crate::exit::{Failure, OK};

pub fn run(id: &str, json: bool, data_dir: &Path) -> Result<u8, Failure> {
    let store = crate::catalogue::open_store(data_dir)?;
    let service = store
        .service(id)
        .map_err(Failure::store)?
        .ok_or_else(|| Failure::no_input(format!("no service with id {:?}", sanitize(id))))?;
    let service = crate::confidential::Reader::current()?.own(service);
    if json {
        crate::output::line(&serde_json::to_string_pretty(&service).expect("service serializes"));
    } else {
        let mut out = std::io::stdout().lock();
        let _ =
            out.write_all(crate::record::render(&service, crate::clock::today(), jiff::Timestamp::now()).as_bytes());
    }
    Ok(OK)
}
