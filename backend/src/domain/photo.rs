//! A photo as the hotel keeps it: decoded and written anew, so that nothing but its pixels
//! survives (no EXIF with the camera's place and owner, nothing appended after the image),
//! turned upright as the camera meant it, and bounded in pixels before it is decoded, so a
//! small file that unpacks to gigabytes is refused unread.

use hotel_shared::ErrorCode;
use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The most pixels one photo may have: 24 megapixels (6000 × 4000), more than any web page
/// shows, and 72 MB while it is being written anew.
pub const MAX_PIXELS: u64 = 24_000_000;
/// The longest side, in pixels.
pub const MAX_SIDE: u32 = 10_000;
/// JPEG quality of the copies written: visually the same as a camera's, a fraction of its
/// size.
const JPEG_QUALITY: u8 = 85;

/// What the hotel keeps of an uploaded photo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanPhoto {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why a photo was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoRefusal {
    /// Not JPEG, PNG or WebP.
    Unsupported,
    /// Its pixels could not be read.
    Unreadable,
    TooManyPixels {
        width: u32,
        height: u32,
    },
}

impl PhotoRefusal {
    pub fn code(&self) -> ErrorCode {
        match self {
            PhotoRefusal::Unsupported => ErrorCode::UnsupportedImage,
            PhotoRefusal::Unreadable => ErrorCode::NotAnImage,
            PhotoRefusal::TooManyPixels { .. } => ErrorCode::PhotoTooLarge,
        }
    }

    pub fn message(&self) -> String {
        match self {
            PhotoRefusal::Unsupported => "Photos must be JPEG, PNG or WebP.".into(),
            PhotoRefusal::Unreadable => {
                "That image could not be read; send a JPEG, PNG or WebP photo.".into()
            }
            PhotoRefusal::TooManyPixels { width, height } => format!(
                "A photo may have at most {} megapixels and {MAX_SIDE} pixels a side; this one \
                 is {width} × {height}.",
                MAX_PIXELS / 1_000_000
            ),
        }
    }
}

/// Decodes `bytes` (of the `content_type` its content showed) and writes the pixels anew:
/// JPEG as JPEG, PNG as PNG, WebP as PNG when it has transparency and JPEG when not.
pub fn clean_photo(content_type: &str, bytes: &[u8]) -> Result<CleanPhoto, PhotoRefusal> {
    let format = match content_type {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        _ => return Err(PhotoRefusal::Unsupported),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (16 << 20));
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| refusal_of(&e, (MAX_SIDE, MAX_SIDE)))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoRefusal::TooManyPixels { width, height });
    }
    let orientation = decoder.orientation().ok();
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| refusal_of(&e, (width, height)))?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    let keeps_transparency = image.color().has_alpha() && format != ImageFormat::Jpeg;
    let (content_type, out) = if format == ImageFormat::Png || keeps_transparency {
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .map_err(|_| PhotoRefusal::Unreadable)?;
        ("image/png", out)
    } else {
        let mut out = Vec::new();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY);
        image
            .to_rgb8()
            .write_with_encoder(encoder)
            .map_err(|_| PhotoRefusal::Unreadable)?;
        ("image/jpeg", out)
    };
    Ok(CleanPhoto {
        content_type,
        bytes: out,
        width: image.width(),
        height: image.height(),
    })
}

fn refusal_of(error: &image::ImageError, (width, height): (u32, u32)) -> PhotoRefusal {
    match error {
        image::ImageError::Limits(_) => PhotoRefusal::TooManyPixels { width, height },
        _ => PhotoRefusal::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, extra: &[u8]) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 128]));
        let mut out = Vec::new();
        let written =
            DynamicImage::ImageRgba8(image).write_to(&mut Cursor::new(&mut out), ImageFormat::Png);
        assert!(written.is_ok());
        out.extend_from_slice(extra);
        out
    }

    fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([10, 120, 200]));
        let mut plain = Vec::new();
        let written = image.write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut plain));
        assert!(written.is_ok());
        // An APP1 segment naming a place, right after the start of the image.
        let note = b"Exif\0\0GPS 48.2082 N 16.3738 E owner Ann Smith";
        let mut with = plain[..2].to_vec();
        with.extend_from_slice(&[0xFF, 0xE1]);
        with.extend_from_slice(&u16::try_from(note.len() + 2).unwrap_or(0).to_be_bytes());
        with.extend_from_slice(note);
        with.extend_from_slice(&plain[2..]);
        with
    }

    /// The PNG chunk checksum, for a header changed on purpose.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn nothing_but_the_pixels_survives() {
        let uploaded = jpeg_with_exif(40, 30);
        let kept = clean_photo("image/jpeg", &uploaded);
        let Ok(kept) = kept else {
            panic!("{kept:?}");
        };
        assert_eq!(
            (kept.content_type, kept.width, kept.height),
            ("image/jpeg", 40, 30)
        );
        let text = String::from_utf8_lossy(&kept.bytes);
        assert!(!text.contains("GPS") && !text.contains("Ann Smith"));

        let appended = png(8, 8, b"<?php system($_GET['c']); ?>");
        let Ok(kept) = clean_photo("image/png", &appended) else {
            panic!("a PNG with a tail was refused");
        };
        assert_eq!(kept.content_type, "image/png");
        assert!(!String::from_utf8_lossy(&kept.bytes).contains("php"));
    }

    #[test]
    fn too_many_pixels_and_broken_images_are_refused() {
        // A header claiming 20,000 × 20,000 pixels, with almost nothing behind it.
        let mut bomb = png(1, 1, b"");
        bomb[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        let crc = crc32(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        assert!(matches!(
            clean_photo("image/png", &bomb),
            Err(PhotoRefusal::TooManyPixels { .. })
        ));
        assert_eq!(
            clean_photo("image/jpeg", b"\xFF\xD8\xFF\xE0 not really"),
            Err(PhotoRefusal::Unreadable)
        );
        assert_eq!(
            clean_photo("image/gif", b"GIF89a"),
            Err(PhotoRefusal::Unsupported)
        );
    }
}
