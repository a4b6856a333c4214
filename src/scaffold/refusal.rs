//! Why `new` or `init` wrote nothing, and the small helpers that say so. Its own module so
//! that both commands, and `main`, share one refusal type without importing each other.

use crate::diag::{Diagnostic, Diagnostics};

/// Why `new` or `init` wrote nothing.
#[derive(Debug)]
pub enum Refusal {
    /// The command asked for something that cannot be: an unknown collection, an invalid id,
    /// a folder with files in the way.
    Usage { message: String, help: String },
    /// The atlas has problems to fix first, or a record is in the way (with file and line).
    Atlas(Diagnostics),
}

pub(super) fn usage<T>(message: String, help: String) -> Result<T, Refusal> {
    Err(Refusal::Usage { message, help })
}

pub(super) fn problem<T>(d: Diagnostic) -> Result<T, Refusal> {
    let mut ds = Diagnostics::new();
    ds.push(d);
    Err(Refusal::Atlas(ds))
}

pub(super) fn one(d: Diagnostic) -> Diagnostics {
    let mut ds = Diagnostics::new();
    ds.push(d);
    ds
}
