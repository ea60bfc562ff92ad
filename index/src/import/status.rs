//! Records a source marks inactive, "do not refer" or kept out of its public directory:
//! left out of an import by default, counted by reason, and marked when kept
//! (`import --include-inactive`).

use crate::model::Service;

/// What a record's status says, whatever the format wrote it as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Status {
    pub inactive: bool,
    pub do_not_refer: bool,
    /// Kept out of the source's public website or directory.
    pub excluded: bool,
}

impl Status {
    /// Also what an enclosing record says: an inactive agency's programs are out with it.
    pub fn with(self, agency: Status) -> Status {
        Status {
            inactive: self.inactive || agency.inactive,
            do_not_refer: self.do_not_refer || agency.do_not_refer,
            excluded: self.excluded || agency.excluded,
        }
    }

    pub fn is_out(self) -> bool {
        self.inactive || self.do_not_refer || self.excluded
    }

    /// The report's reason, most serious first.
    pub fn reason(self) -> &'static str {
        if self.inactive {
            "inactive"
        } else if self.do_not_refer {
            "do not refer"
        } else {
            "excluded from the directory"
        }
    }

    /// Marks a kept service; an inactive one's status says so too.
    pub fn mark(self, s: &mut Service) {
        if self.inactive {
            s.status = Some("inactive".into());
        }
        s.inactive = self.inactive;
        s.do_not_refer = self.do_not_refer;
        s.excluded_from_directory = self.excluded;
    }
}
