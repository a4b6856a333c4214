//! Where rendered files go: a list in memory, or the staging folder of a build, so pages do
//! not pile up in memory before they are written.

use super::OutputFile;

/// Where rendered files go: a list in memory, or straight into the staging folder of a
/// build, so pages do not pile up in memory before they are written.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile);
}

/// A sink that keeps the files in memory.
#[derive(Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) {
        self.0.lock().expect("lock").push(file);
    }
}

impl Collect {
    pub fn into_files(self) -> Vec<OutputFile> {
        self.0.into_inner().expect("lock")
    }
}

impl Sink for crate::output::Staging {
    fn put(&self, file: OutputFile) {
        crate::output::Staging::put(self, &file);
    }
}

/// A sink that counts the HTML pages passing through to another.
pub struct Counting<'a> {
    pub inner: &'a dyn Sink,
    pub pages: std::sync::atomic::AtomicUsize,
}

impl Sink for Counting<'_> {
    fn put(&self, file: OutputFile) {
        if file.path.ends_with(".html") {
            self.pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.inner.put(file);
    }
}
