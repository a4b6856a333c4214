//! Starting points for editors: `new` writes a record from its collection's schema, `init`
//! writes a whole new atlas that builds and checks clean at once.
//!
//! What `new` cannot know it marks `TODO`, which `check` then reports (see
//! [`crate::placeholders`]) until it is filled in.
//!
//! The parts: `refusal` says why nothing was written; `new_record` places and writes a
//! record, with its fields' lines from `fields`; `init` writes a new atlas from the template
//! files in `src/scaffold/`, filled in from the clone's `remote`.

mod fields;
mod init;
mod new_record;
mod refusal;
mod remote;

pub use init::{action_ref, init};
pub use new_record::{Place, new_record};
pub use refusal::Refusal;
