//! `navigator synth`: write a synthetic HSDS 3.0 CSV directory.

use navigator_index::synth::{write_datapackage, SynthOptions};

use crate::cli::SynthArgs;
use crate::exit::{Failure, OK};
use crate::progress::Progress;

pub fn run(args: &SynthArgs) -> Result<u8, Failure> {
    let progress = Progress::new("writing", args.services);
    let options = SynthOptions {
        services: args.services,
        seed: args.seed,
    };
    let summary = write_datapackage(&options, &args.out, &mut |n| progress.set(n))
        .map_err(|e| Failure::io(format!("{}: {e}", args.out.display())))?;
    progress.finish();
    crate::say!(
        "Wrote {} services, {} organizations, {} locations to {}",
        summary.services,
        summary.organizations,
        summary.locations,
        args.out.display()
    );
    Ok(OK)
}
