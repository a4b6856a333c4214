//! Numbers written with one decimal, as `{:.1}` writes them, for the coordinates of maps:
//! a site's maps write hundreds of thousands of them, and the float formatting machinery is
//! most of what that costs.

/// Writes `v` as `{:.1}` does, without the float formatting machinery: maps write some
/// hundred thousand coordinates. Near a tie (x.x5), where only the exact decimal value of `v`
/// decides the rounding, it leaves the writing to `{:.1}` itself.
pub fn write_tenths(out: &mut impl std::fmt::Write, v: f64) -> std::fmt::Result {
    let t = v * 10.0;
    let rounded = t.round();
    if !t.is_finite() || t.abs() >= 1e12 || ((t - t.trunc()).abs() - 0.5).abs() < 1e-6 {
        return write!(out, "{v:.1}");
    }
    let n = rounded.abs() as u64;
    let mut digits = [0u8; 24];
    let mut i = digits.len();
    i -= 1;
    digits[i] = b'0' + (n % 10) as u8;
    i -= 1;
    digits[i] = b'.';
    let mut whole = n / 10;
    loop {
        i -= 1;
        digits[i] = b'0' + (whole % 10) as u8;
        whole /= 10;
        if whole == 0 {
            break;
        }
    }
    if v.is_sign_negative() {
        i -= 1;
        digits[i] = b'-';
    }
    out.write_str(std::str::from_utf8(&digits[i..]).expect("ASCII digits"))
}

pub fn push_tenths(out: &mut String, v: f64) {
    let _ = write_tenths(out, v);
}

/// A number shown as `{:.1}` shows it, written by [`write_tenths`].
pub struct Tenths(pub f64);

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write_tenths(f, self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_are_written_as_format_writes_them() {
        let mut values = vec![0.0, -0.0, 0.04, -0.04, 0.05, -0.05, 0.25, 0.35, 1.05, 2.5, -2.5, 479.95, 1e11, -3.75e-7];
        // A deterministic spread of ordinary coordinates and values near ties.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 2_000_000) as f64 / 1000.0 - 1000.0;
            values.push(v);
            values.push((v * 10.0).trunc() / 10.0 + 0.05);
        }
        for v in values {
            let mut ours = String::new();
            push_tenths(&mut ours, v);
            assert_eq!(ours, format!("{v:.1}"), "{v:?}");
        }
    }
}
