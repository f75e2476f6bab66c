//! PEM (RFC 7468): the DER bytes of a `CERTIFICATE` block, for the emulator's tunnel CA
//! certificates and the tool host's Sigstore signing certificates.

use base64::Engine;

/// The DER bytes of the first `CERTIFICATE` block of `text`: the base64 lines between its
/// `BEGIN` and `END` markers. `None` without both markers, or when the body is empty or
/// not base64.
pub fn certificate_der(text: &str) -> Option<Vec<u8>> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .skip_while(|line| *line != "-----BEGIN CERTIFICATE-----")
        .skip(1);
    let mut body = String::new();
    loop {
        match lines.next()? {
            "-----END CERTIFICATE-----" => break,
            line => body.push_str(line),
        }
    }
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .ok()
        .filter(|der| !der.is_empty())
}

#[cfg(test)]
mod tests {
    use super::certificate_der;

    #[test]
    fn reads_the_first_certificate_block() {
        let chain = "subject=CN=leaf\r\n-----BEGIN CERTIFICATE-----\r\nAQID\r\nBA==\r\n-----END CERTIFICATE-----\n\
                     -----BEGIN CERTIFICATE-----\nBQY=\n-----END CERTIFICATE-----\n";
        assert_eq!(certificate_der(chain), Some(vec![1, 2, 3, 4]));
    }

    #[test]
    fn refuses_what_is_not_a_whole_certificate_block() {
        for text in [
            "",
            "AQID",
            "-----BEGIN CERTIFICATE-----\nAQID\n",
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
            "-----BEGIN PUBLIC KEY-----\nAQID\n-----END PUBLIC KEY-----\n",
        ] {
            assert_eq!(certificate_der(text), None, "{text:?}");
        }
    }
}
