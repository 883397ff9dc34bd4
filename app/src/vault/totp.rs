//! TOTP on the server: `otpauth://` URIs and QR images in, codes out. Seeds stay
//! here; error messages never quote the URI (it contains the seed).
use super::model::{TotpAlgorithm, TotpCode, MAX_QR_BYTES};
use totp_rs::{Algorithm, Secret, TOTP};

/// A validated TOTP configuration.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSeed {
    /// The seed, base32 without padding.
    pub secret_base32: String,
    pub algorithm: TotpAlgorithm,
    pub digits: u8,
    pub period: u16,
}

impl std::fmt::Debug for TotpSeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpSeed")
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}

/// Parses and checks an `otpauth://totp/…?secret=…` URI.
pub fn parse_otpauth(uri: &str) -> Result<TotpSeed, String> {
    let uri = uri.trim();
    if !uri.to_ascii_lowercase().starts_with("otpauth://") {
        return Err("Paste an otpauth:// URI (as shown under the QR code).".into());
    }
    if uri.len() > 2048 {
        return Err("The otpauth URI is too long.".into());
    }
    if uri.to_ascii_lowercase().starts_with("otpauth://hotp") {
        return Err("Only time-based codes (otpauth://totp) are supported.".into());
    }
    let t = TOTP::from_url_unchecked(uri).map_err(|e| match e {
        totp_rs::TotpUrlError::Algorithm(_) => "Unknown algorithm: use SHA1, SHA256 or SHA512.".to_string(),
        totp_rs::TotpUrlError::Digits(_) => "Digits must be 6, 7 or 8.".to_string(),
        totp_rs::TotpUrlError::Step(_) => "The period must be a number of seconds.".to_string(),
        totp_rs::TotpUrlError::Secret(_) | totp_rs::TotpUrlError::SecretSize(_) => {
            "The secret is missing or is not valid base32.".to_string()
        }
        _ => "This is not a valid otpauth://totp URI.".to_string(),
    })?;
    from_parts(&t.secret, t.algorithm, t.digits, t.step)
}

fn from_parts(secret: &[u8], algorithm: Algorithm, digits: usize, step: u64) -> Result<TotpSeed, String> {
    if secret.len() < 10 {
        return Err("The secret is too short (at least 80 bits).".into());
    }
    if secret.len() > 128 {
        return Err("The secret is too long.".into());
    }
    if !(6..=8).contains(&digits) {
        return Err("Digits must be 6, 7 or 8.".into());
    }
    if !(1..=300).contains(&step) {
        return Err("The period must be 1 to 300 seconds.".into());
    }
    let algorithm = match algorithm {
        Algorithm::SHA1 => TotpAlgorithm::Sha1,
        Algorithm::SHA256 => TotpAlgorithm::Sha256,
        Algorithm::SHA512 => TotpAlgorithm::Sha512,
        #[allow(unreachable_patterns)]
        _ => return Err("Unknown algorithm: use SHA1, SHA256 or SHA512.".into()),
    };
    let secret_base32 = match Secret::Raw(secret.to_vec()).to_encoded() {
        Secret::Encoded(s) => s.trim_end_matches('=').to_string(),
        Secret::Raw(_) => return Err("The secret is not valid base32.".into()),
    };
    Ok(TotpSeed { secret_base32, algorithm, digits: digits as u8, period: step as u16 })
}

/// The code at `unix_time` and the seconds until it changes.
pub fn code_at(seed: &TotpSeed, unix_time: u64) -> Result<TotpCode, String> {
    let secret =
        Secret::Encoded(seed.secret_base32.clone()).to_bytes().map_err(|_| "stored seed unreadable".to_string())?;
    let algorithm = match seed.algorithm {
        TotpAlgorithm::Sha1 => Algorithm::SHA1,
        TotpAlgorithm::Sha256 => Algorithm::SHA256,
        TotpAlgorithm::Sha512 => Algorithm::SHA512,
    };
    let period = u64::from(seed.period.max(1));
    let t = TOTP::new_unchecked(algorithm, seed.digits as usize, 0, period, secret, None, String::new());
    Ok(TotpCode {
        code: t.generate(unix_time),
        seconds_remaining: (period - unix_time % period) as u32,
        period: period as u32,
    })
}

/// Reads an otpauth URI from a PNG or JPEG image of a QR code.
pub fn decode_qr(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_QR_BYTES {
        return Err("The image must be at most 2 MB.".into());
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (image::ImageFormat::Png | image::ImageFormat::Jpeg)) => f,
        _ => return Err("Use a PNG or JPEG image of the QR code.".into()),
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(4096);
    limits.max_image_height = Some(4096);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| "The image could not be read (at most 4096×4096 pixels).".to_string())?;
    let mut prepared = rqrr::PreparedImage::prepare(img.to_luma8());
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            if content.to_ascii_lowercase().starts_with("otpauth://") {
                return Ok(content);
            }
            return Err("The QR code does not hold an otpauth:// URI.".into());
        }
    }
    Err("No readable QR code was found in the image.".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otpauth_uris_are_parsed_and_checked() {
        let s = parse_otpauth(
            "otpauth://totp/ACME:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME&algorithm=SHA256&digits=8&period=60",
        )
        .unwrap();
        assert_eq!(s.algorithm, TotpAlgorithm::Sha256);
        assert_eq!((s.digits, s.period), (8, 60));
        assert_eq!(s.secret_base32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let d = parse_otpauth("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZD").unwrap();
        assert_eq!((d.algorithm, d.digits, d.period), (TotpAlgorithm::Sha1, 6, 30));
        assert!(parse_otpauth("https://example.com").is_err());
        assert!(parse_otpauth("otpauth://hotp/x?secret=GEZDGNBVGY3TQOJQGEZD&counter=1").is_err());
        assert!(parse_otpauth("otpauth://totp/x?secret=GEZD").is_err());
        assert!(parse_otpauth("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZD&digits=9").is_err());
        assert!(parse_otpauth("otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZD&algorithm=MD5").is_err());
        let err = parse_otpauth("otpauth://totp/x?secret=!!!notbase32!!!").unwrap_err();
        assert!(!err.contains("notbase32"), "{err}");
    }

    #[test]
    fn rfc6238_vector_sha1() {
        // RFC 6238 Appendix B: seed "12345678901234567890", T = 59 s, 8 digits.
        let seed = from_parts(b"12345678901234567890", Algorithm::SHA1, 8, 30).unwrap();
        let c = code_at(&seed, 59).unwrap();
        assert_eq!(c.code, "94287082");
        assert_eq!(c.seconds_remaining, 1);
    }
}
