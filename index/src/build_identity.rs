//! Which build of navigator is running, for what is only valid for the build that made it
//! (an import's digests: see `import/hsds_digest.rs`). The linker's GNU build ID, read from
//! the running program's own notes in memory: the same build copied to every office's
//! server has the same ID, and any change to the code gives another. Where there is none,
//! the executable file's size and modification time stand in.

/// Bytes that tell this build from any other; `None` when neither the build ID nor the
/// executable can be looked at.
pub(crate) fn build_identity() -> Option<Vec<u8>> {
    gnu_build_id().or_else(executable_stamp)
}

/// The `NT_GNU_BUILD_ID` note of the main program.
fn gnu_build_id() -> Option<Vec<u8>> {
    let mut found: Option<Vec<u8>> = None;
    // SAFETY: dl_iterate_phdr calls back with pointers to the loaded objects' program
    // headers, valid during the call; the first object is the main program. Notes are
    // read within the PT_NOTE segment's bounds, each one's sizes checked against them.
    unsafe {
        libc::dl_iterate_phdr(Some(first_object), (&mut found as *mut Option<Vec<u8>>).cast());
    }
    found
}

unsafe extern "C" fn first_object(
    info: *mut libc::dl_phdr_info,
    _size: libc::size_t,
    data: *mut libc::c_void,
) -> libc::c_int {
    // SAFETY: see `gnu_build_id`.
    unsafe {
        let found = &mut *data.cast::<Option<Vec<u8>>>();
        let info = &*info;
        let headers = std::slice::from_raw_parts(info.dlpi_phdr, info.dlpi_phnum as usize);
        for h in headers.iter().filter(|h| h.p_type == libc::PT_NOTE) {
            let start = (info.dlpi_addr as usize + h.p_vaddr as usize) as *const u8;
            let segment = std::slice::from_raw_parts(start, h.p_memsz as usize);
            if let Some(id) = build_id_note(segment) {
                *found = Some(id.to_vec());
            }
        }
    }
    // The main program only.
    1
}

/// The build ID in a note segment: notes of (name size, description size, type), the
/// name and the description, each padded to 4 bytes.
fn build_id_note(mut notes: &[u8]) -> Option<&[u8]> {
    const NT_GNU_BUILD_ID: u32 = 3;
    let word = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map(|w| u32::from_ne_bytes(w.try_into().expect("4 bytes")))
    };
    let padded = |n: usize| n.div_ceil(4) * 4;
    while notes.len() >= 12 {
        let (name_size, desc_size, kind) = (word(notes, 0)? as usize, word(notes, 4)? as usize, word(notes, 8)?);
        let name = notes.get(12..12 + name_size)?;
        let desc_at = 12 + padded(name_size);
        let desc = notes.get(desc_at..desc_at + desc_size)?;
        if kind == NT_GNU_BUILD_ID && name == b"GNU\0" && !desc.is_empty() {
            return Some(desc);
        }
        notes = notes.get(desc_at + padded(desc_size)..)?;
    }
    None
}

/// The executable file's size and modification time.
fn executable_stamp() -> Option<Vec<u8>> {
    let meta = std::env::current_exe().ok()?.metadata().ok()?;
    let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    let mut stamp = meta.len().to_le_bytes().to_vec();
    stamp.extend_from_slice(&modified.as_nanos().to_le_bytes());
    Some(stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(name: &[u8], kind: u32, desc: &[u8]) -> Vec<u8> {
        let mut n = Vec::new();
        n.extend_from_slice(&(name.len() as u32).to_ne_bytes());
        n.extend_from_slice(&(desc.len() as u32).to_ne_bytes());
        n.extend_from_slice(&kind.to_ne_bytes());
        n.extend_from_slice(name);
        n.resize(n.len().div_ceil(4) * 4, 0);
        n.extend_from_slice(desc);
        n.resize(n.len().div_ceil(4) * 4, 0);
        n
    }

    #[test]
    fn the_build_id_is_found_among_other_notes_and_bad_sizes_are_refused() {
        let mut notes = note(b"GNU\0", 1, &[0, 0, 0, 0]);
        notes.extend(note(b"GNU\0", 3, &[0xab, 0xcd, 0xef]));
        assert_eq!(build_id_note(&notes), Some(&[0xab, 0xcd, 0xef][..]));
        assert_eq!(build_id_note(&note(b"FDO\0", 3, &[1, 2])), None);
        let mut cut = note(b"GNU\0", 3, &[1, 2, 3, 4, 5, 6, 7, 8]);
        cut.truncate(cut.len() - 4);
        assert_eq!(build_id_note(&cut), None);
    }

    #[test]
    fn the_running_build_is_identified_the_same_every_time() {
        // The linkers this project builds with write a build ID (`readelf -n` shows it);
        // without one the executable's size and time would stand in.
        let id = gnu_build_id().expect("a GNU build ID in this test binary");
        assert!(id.len() >= 8, "{id:?}");
        assert_eq!(build_identity(), Some(id));
    }
}
