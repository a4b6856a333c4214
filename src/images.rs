//! Images: which file an image's path names, and the responsive copies made of it.
//!
//! An image is a file of `static/`, named as a link to a static file is, by its address in
//! the site: `/images/matterhorn.jpg` (or `images/matterhorn.jpg`) is
//! `static/images/matterhorn.jpg`. The file itself is copied as is, like everything in
//! `static/`; besides it, each image gets copies a few widths wide ([`WIDTHS`], never wider
//! than the original) in WebP and in the original's format, named by a hash of the original's
//! bytes under `assets/img/`, so pages can offer a `srcset` and browsers can cache them for
//! good. Making them costs tens of milliseconds an image: they are kept for the life of the
//! process by the original's size and modification time, so `serve` makes each once.

use crate::layout::STATIC_DIR;
use image::{DynamicImage, ImageFormat, imageops::FilterType};
use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// The widths, in pixels, of the copies made of each image; an image narrower than one of
/// them gets a copy at its own width instead, never a wider one.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];

/// The site folder that holds the copies.
pub const DIR: &str = "assets/img";

/// Quality of the lossy copies (WebP, and JPEG for JPEG originals), 0–100.
const QUALITY: u8 = 80;

/// An image and its copies, as pages show it.
#[derive(Debug, PartialEq)]
pub struct Image {
    /// The original, relative to `static/` (and so to the site's root).
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// The copies, narrowest first.
    pub copies: Vec<Copy>,
    /// MIME type of the copies in the original's format (`image/jpeg`, `image/png`).
    pub fallback_type: &'static str,
}

/// One width of an image, in WebP and in the original's format.
#[derive(Debug, PartialEq)]
pub struct Copy {
    pub width: u32,
    pub height: u32,
    /// Site-relative paths (`assets/img/<name>-<hash>-<width>.webp`).
    pub webp: String,
    pub fallback: String,
}

/// An image with the bytes of its copies, as the cache keeps it.
#[derive(Debug)]
pub struct Processed {
    pub image: Arc<Image>,
    /// Site-relative path and bytes of every copy.
    pub files: Vec<(String, Arc<Vec<u8>>)>,
}

/// The images made so far, by file, with the size and modification time they were made from.
type Kept = HashMap<PathBuf, ((u64, SystemTime), Arc<Processed>)>;

/// The file an image's path names, relative to `static/`, or why it names none: addresses
/// elsewhere (`https://…`, `//host/…`) and paths that climb out of `static/` are refused.
pub fn relative_path(src: &str) -> Result<String, String> {
    let src = src.trim();
    if src.contains("://") || src.starts_with("//") || src.starts_with("data:") {
        return Err(format!(
            "the image \"{src}\" is not a file of the atlas; put it under {STATIC_DIR}/ and write its path, e.g. /images/photo.jpg"
        ));
    }
    let path = src.trim_start_matches('/');
    if path.is_empty() || path.split('/').any(|s| s == ".." || s == "." || s.is_empty()) || path.contains('\\') {
        return Err(format!("\"{src}\" is not a path under {STATIC_DIR}/; write it as /images/photo.jpg"));
    }
    Ok(path.to_string())
}

/// The largest original read (a 24-megapixel photograph is about 15 MiB).
pub const MAX_IMAGE_BYTES: u64 = 64 << 20;

/// The image `src` names under `static_dir`, with its copies: made now, or kept from an
/// earlier call if the file has not changed. The error says what is wrong and how to fix it.
pub fn load(static_dir: &Path, src: &str) -> Result<Arc<Processed>, String> {
    let rel = relative_path(src)?;
    let file = static_dir.join(&rel);
    let meta = std::fs::metadata(&file).map_err(|_| {
        format!(
            "the image {STATIC_DIR}/{rel} does not exist; add the file, or fix the path (it is read from {STATIC_DIR}/)"
        )
    })?;
    let stamp = (meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
    static CACHE: OnceLock<Mutex<Kept>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some((s, p)) = cache.lock().expect("image cache").get(&file)
        && *s == stamp
    {
        return Ok(Arc::clone(p));
    }
    // Read like every input: never through a link out of the atlas, never a special file.
    let root = static_dir.parent().unwrap_or(static_dir);
    let bytes = crate::input::read(root, &file, MAX_IMAGE_BYTES)
        .map_err(|r| format!("the image {STATIC_DIR}/{rel}: {}", r.diagnostic(&rel).message))?;
    let processed = Arc::new(process(&rel, &bytes)?);
    cache.lock().expect("image cache").insert(file, (stamp, Arc::clone(&processed)));
    Ok(processed)
}

/// Decodes an original and makes its copies.
pub fn process(rel: &str, bytes: &[u8]) -> Result<Processed, String> {
    let format = image::guess_format(bytes).map_err(|_| unsupported(rel))?;
    let (fallback, fallback_type, ext) = match format {
        ImageFormat::Jpeg => (ImageFormat::Jpeg, "image/jpeg", "jpg"),
        ImageFormat::Png => (ImageFormat::Png, "image/png", "png"),
        ImageFormat::WebP => (ImageFormat::WebP, "image/webp", "webp"),
        _ => return Err(unsupported(rel)),
    };
    let original = image::load_from_memory_with_format(bytes, format)
        .map_err(|e| format!("the image {STATIC_DIR}/{rel} cannot be read: {e}"))?;
    let (width, height) = (original.width(), original.height());
    // SipHash-1-3 with zero keys from the `siphasher` crate: the names stay the same from one
    // Rust release to the next (std's `DefaultHasher` makes no such promise).
    let mut h = siphasher::sip::SipHasher13::new();
    h.write(bytes);
    let hash = format!("{:016x}", h.finish());
    let stem = Path::new(rel).file_stem().and_then(|s| s.to_str()).unwrap_or("image");
    let stem = crate::ids::slug(stem);
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    widths.push(width.min(*WIDTHS.last().expect("widths")));
    widths.dedup();
    let mut copies = Vec::new();
    let mut files = Vec::new();
    for w in widths {
        let img = if w == width { original.clone() } else { original.resize(w, u32::MAX, FilterType::Lanczos3) };
        let (cw, ch) = (img.width(), img.height());
        let name = format!("{DIR}/{stem}-{}-{cw}", &hash[..12]);
        let webp = format!("{name}.webp");
        files.push((webp.clone(), Arc::new(encode_webp(&img))));
        let fallback_path = format!("{name}.{ext}");
        if fallback != ImageFormat::WebP {
            files.push((fallback_path.clone(), Arc::new(encode(&img, fallback, rel)?)));
        }
        copies.push(Copy { width: cw, height: ch, webp, fallback: fallback_path });
    }
    Ok(Processed { image: Arc::new(Image { path: rel.to_string(), width, height, copies, fallback_type }), files })
}

fn unsupported(rel: &str) -> String {
    format!("{STATIC_DIR}/{rel} is not a JPEG, PNG or WebP image; atlasgen makes responsive copies of those three")
}

/// Lossy WebP (libwebp): a photo's lossless WebP would be larger than its JPEG.
fn encode_webp(img: &DynamicImage) -> Vec<u8> {
    let img = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
    let (w, h) = (img.width(), img.height());
    let encoder = match &img {
        DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b.as_raw(), w, h),
        DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b.as_raw(), w, h),
        _ => unreachable!("converted above"),
    };
    encoder.encode(f32::from(QUALITY)).to_vec()
}

fn encode(img: &DynamicImage, format: ImageFormat, rel: &str) -> Result<Vec<u8>, String> {
    let mut out = std::io::Cursor::new(Vec::new());
    let written = match format {
        ImageFormat::Jpeg => {
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, QUALITY).encode_image(&rgb)
        }
        _ => img.write_to(&mut out, format),
    };
    written.map_err(|e| format!("cannot write a copy of {STATIC_DIR}/{rel}: {e}"))?;
    Ok(out.into_inner())
}

impl Image {
    /// The copies' `srcset`, in WebP or in the original's format, with URLs under `base`.
    pub fn srcset(&self, base: &str, webp: bool) -> String {
        self.copies
            .iter()
            .map(|c| format!("{base}{} {}w", if webp { &c.webp } else { &c.fallback }, c.width))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The widest copy, the one an `<img>`'s `src` names.
    pub fn largest(&self) -> &Copy {
        self.copies.last().expect("every image has a copy")
    }

    /// `<picture>` with both formats' `srcset`, `sizes`, width and height (of the largest
    /// copy, for the aspect ratio), lazy loading and asynchronous decoding.
    pub fn picture_html(&self, base: &str, alt: &str) -> String {
        let esc = crate::html::escape;
        let big = self.largest();
        let sizes = "(min-width: 60rem) 50rem, 100vw";
        let mut out = String::from("<picture>");
        out.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\">",
            esc(&self.srcset(base, true))
        ));
        if self.fallback_type != "image/webp" {
            out.push_str(&format!(
                "<source type=\"{}\" srcset=\"{}\" sizes=\"{sizes}\">",
                self.fallback_type,
                esc(&self.srcset(base, false))
            ));
        }
        out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\"></picture>",
            esc(&format!("{base}{}", big.fallback)),
            esc(alt),
            big.width,
            big.height
        ));
        out
    }
}

/// An image as a `<figure>`: the picture, then its caption and credit (HTML, already safe).
pub fn figure_html(image: &Image, base: &str, alt: &str, caption: Option<&str>, credit: Option<&str>) -> String {
    let mut out = format!("<figure class=\"figure\">{}", image.picture_html(base, alt));
    if caption.is_some() || credit.is_some() {
        out.push_str("<figcaption>");
        if let Some(c) = caption {
            out.push_str(c);
        }
        if let Some(c) = credit {
            out.push_str(&format!(" <small class=\"credit\">{c}</small>"));
        }
        out.push_str("</figcaption>");
    }
    out.push_str("</figure>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 90])));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn copies_are_never_wider_than_the_original() {
        let p = process("maps/a b.png", &png(1000, 500)).unwrap();
        let widths: Vec<(u32, u32)> = p.image.copies.iter().map(|c| (c.width, c.height)).collect();
        assert_eq!(widths, vec![(480, 240), (960, 480), (1000, 500)]);
        assert_eq!(p.files.len(), 6, "WebP and PNG of each width");
        assert!(p.image.copies[0].webp.starts_with("assets/img/a-b-") && p.image.copies[0].webp.ends_with("-480.webp"));
        let small = process("s.png", &png(300, 200)).unwrap();
        assert_eq!(small.image.copies.len(), 1);
        assert_eq!(small.image.largest().width, 300);
    }

    #[test]
    fn paths_name_files_of_static() {
        assert_eq!(relative_path("/images/x.jpg").unwrap(), "images/x.jpg");
        assert_eq!(relative_path("images/x.jpg").unwrap(), "images/x.jpg");
        for bad in ["https://example.org/x.jpg", "//cdn/x.jpg", "/../x.jpg", "a//b.jpg", ""] {
            assert!(relative_path(bad).is_err(), "{bad}");
        }
        assert!(process("x.gif", b"GIF89a....").is_err());
    }
}
