//! Where rendered files go: a list in memory, or the staging folder of a build, so pages do
//! not pile up in memory before they are written.

/// A file of the site: path relative to the output folder, and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

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

impl Sink for super::Staging {
    fn put(&self, file: OutputFile) {
        super::Staging::put(self, &file);
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
