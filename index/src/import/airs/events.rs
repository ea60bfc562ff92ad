//! The XML under the AIRS reader: quick-xml events turned into start, end and text with
//! names stripped of their namespace prefix, entities resolved, and the line each event
//! ends on. Nothing is kept between events, so reading a file of any size takes the
//! same memory.

use std::borrow::Cow;
use std::io::{BufRead, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

/// Counts the line breaks the parser has moved past: quick-xml consumes its input
/// exactly as far as it has parsed, so the count is the line of the last event.
pub(crate) struct LineCount<R> {
    inner: R,
    newlines: u64,
}

impl<R: BufRead> Read for LineCount<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.newlines += count_newlines(&buf[..n]);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for LineCount<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            self.newlines += count_newlines(&buf[..amt.min(buf.len())]);
        }
        self.inner.consume(amt);
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

pub(crate) enum Xml {
    Start {
        name: String,
        /// (local name, value)
        attrs: Vec<(String, String)>,
        /// The namespace the element is in, when it has a prefix-free `xmlns`.
        namespace: Option<String>,
        line: u64,
    },
    End,
    Text(String),
    Eof,
}

pub(crate) struct Events<R: BufRead> {
    reader: Reader<LineCount<R>>,
    buf: Vec<u8>,
    /// An empty element's end, given out after its start.
    pending_end: bool,
}

impl<R: BufRead> Events<R> {
    pub fn new(input: R) -> Events<R> {
        let mut reader = Reader::from_reader(LineCount {
            inner: input,
            newlines: 0,
        });
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        Events {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            pending_end: false,
        }
    }

    /// The line the parser is on (1-based).
    pub fn line(&self) -> u64 {
        self.reader.get_ref().newlines + 1
    }

    /// The next event; `Err` names what is wrong with the XML.
    pub fn next(&mut self) -> Result<Xml, String> {
        if std::mem::take(&mut self.pending_end) {
            return Ok(Xml::End);
        }
        loop {
            self.buf.clear();
            let decoder = self.reader.decoder();
            let event = self.reader.read_event_into(&mut self.buf).map_err(|e| e.to_string())?;
            let line = self.reader.get_ref().newlines + 1;
            let (start, empty) = match event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => return Ok(Xml::End),
                Event::Text(t) => return Ok(Xml::Text(t.decode().map_err(|e| e.to_string())?.into_owned())),
                Event::CData(t) => return Ok(Xml::Text(t.decode().map_err(|e| e.to_string())?.into_owned())),
                Event::GeneralRef(r) => {
                    let text = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                        Some(c) => c.to_string(),
                        None => {
                            let name = r.decode().map_err(|e| e.to_string())?;
                            match quick_xml::escape::resolve_predefined_entity(&name) {
                                Some(t) => t.to_string(),
                                // An entity the document never declared: keep it as written.
                                None => format!("&{name};"),
                            }
                        }
                    };
                    return Ok(Xml::Text(text));
                }
                Event::Eof => return Ok(Xml::Eof),
                _ => continue,
            };
            let name = local(start.name().as_ref()).into_owned();
            let mut attrs = Vec::new();
            let mut namespace = None;
            for attr in start.attributes().with_checks(false).flatten() {
                let key = attr.key.as_ref();
                let value = attr
                    .decoded_and_normalized_value(quick_xml::XmlVersion::default(), decoder)
                    .map_err(|e| e.to_string())?
                    .into_owned();
                if key == b"xmlns" {
                    namespace = Some(value);
                } else if !key.starts_with(b"xmlns:") {
                    attrs.push((local(key).into_owned(), value));
                }
            }
            self.pending_end = empty;
            return Ok(Xml::Start {
                name,
                attrs,
                namespace,
                line,
            });
        }
    }
}

/// The part of a name after its prefix: `airs:Agency` -> `Agency`.
pub(crate) fn local(name: &[u8]) -> Cow<'_, str> {
    let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
    String::from_utf8_lossy(local)
}
