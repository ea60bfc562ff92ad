//! Regenerates the demo directory embedded in navigator, `assets/demo/`:
//!
//!     cargo run -p navigator-index --example write_demo
//!
//! The test `synth::tests::demo_matches_the_generator` fails until this is run after any
//! change to the generator; commit the result.

use std::path::Path;

use navigator_index::synth::{write_datapackage, SynthOptions};

fn main() -> std::io::Result<()> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo");
    if out.exists() {
        // The folder holds only generated files: start clean so none is left over.
        std::fs::remove_dir_all(&out)?;
    }
    let summary = write_datapackage(&SynthOptions::DEMO, &out, &mut |_| {})?;
    let mut bytes = 0;
    for file in &summary.files {
        bytes += std::fs::metadata(out.join(file))?.len();
    }
    println!(
        "wrote {} services, {} organizations, {} locations in {} files ({} bytes) to {}",
        summary.services,
        summary.organizations,
        summary.locations,
        summary.files.len(),
        bytes,
        out.display()
    );
    Ok(())
}
