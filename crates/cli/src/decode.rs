//! `outrig events decode`: events from a JSON array, JSON lines or an SSE transcript on
//! stdin, written as one canonical JSON line each. Stops at the first malformed input with
//! a message naming where it is; everything before it has already been written.

use anyhow::{anyhow, Context, Result};
use outrig_api::{Event, EventDecoder};
use serde::de::{Deserializer as _, SeqAccess, Visitor};
use std::io::{BufRead, Read, Write};

/// Input formats.
#[derive(Debug, Clone, Copy)]
pub enum Format {
    /// A JSON array, or JSON lines (detected from the first non-blank byte).
    Json,
    /// A raw SSE transcript.
    Sse,
}

/// Decodes `input` into `out`. Returns the number of events written.
pub fn run(input: impl Read, out: &mut impl Write, format: Format) -> Result<usize> {
    match format {
        Format::Sse => decode_sse(input, out),
        Format::Json => {
            let mut reader = std::io::BufReader::new(input);
            let first = loop {
                let buf = reader.fill_buf()?;
                match buf.iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(at) => break Some(buf[at]),
                    None if buf.is_empty() => break None,
                    None => {
                        let len = buf.len();
                        reader.consume(len);
                    }
                }
            };
            match first {
                None => Ok(0),
                Some(b'[') => decode_array(reader, out),
                Some(_) => decode_lines(reader, out),
            }
        }
    }
}

fn write_event(out: &mut impl Write, event: &Event) -> Result<()> {
    serde_json::to_writer(&mut *out, event)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn decode_sse(mut input: impl Read, out: &mut impl Write) -> Result<usize> {
    let mut decoder = EventDecoder::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut count = 0;
    loop {
        let n = input.read(&mut buf).context("reading stdin")?;
        if n == 0 {
            if decoder.finish() {
                eprintln!(
                    "warning: the transcript ends inside an unterminated SSE message (byte {}); it was dropped",
                    decoder.position()
                );
            }
            return Ok(count);
        }
        for result in decoder.push(&buf[..n]) {
            let event = result.map_err(|e| anyhow!("{e}"))?;
            write_event(out, &event)?;
            count += 1;
        }
    }
}

fn decode_lines(input: impl BufRead, out: &mut impl Write) -> Result<usize> {
    let mut count = 0;
    let mut offset = 0u64;
    for (index, line) in input.split(b'\n').enumerate() {
        let line = line.context("reading stdin")?;
        let start = offset;
        offset += line.len() as u64 + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let event: Event = serde_json::from_slice(&line)
            .map_err(|e| anyhow!("line {} (byte {start}): not a valid event: {e}", index + 1))?;
        write_event(out, &event)?;
        count += 1;
    }
    Ok(count)
}

fn decode_array(input: impl Read, out: &mut impl Write) -> Result<usize> {
    struct EachEvent<'a, W> {
        out: &'a mut W,
        count: usize,
    }
    impl<'de, W: Write> Visitor<'de> for &mut EachEvent<'_, W> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a JSON array of events")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(event) = seq.next_element::<Event>()? {
                write_event(self.out, &event).map_err(serde::de::Error::custom)?;
                self.count += 1;
            }
            Ok(())
        }
    }
    let mut visitor = EachEvent { out, count: 0 };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = (&mut de)
        .deserialize_seq(&mut visitor)
        .and_then(|_| de.end());
    result.map_err(|e| {
        anyhow!(
            "element {} of the array, at line {} column {}: {e}",
            visitor.count + 1,
            e.line(),
            e.column()
        )
    })?;
    Ok(visitor.count)
}
