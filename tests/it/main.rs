//! The integration tests, one module per subject, linked into one test binary: each binary
//! links the whole library (about 130 MB with line tables in the release profile the suite
//! runs in), so one binary instead of fourteen keeps the test stage's disk use and link time
//! to a fourteenth. `cargo test --release --test it live::` runs one subject.

mod common;

mod alps;
mod build;
mod cli;
mod cms;
mod commands;
mod head;
mod hostile;
mod incremental;
mod invalid;
mod languages;
mod live;
mod pages;
mod properties;
mod safety;
