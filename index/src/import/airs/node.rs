//! A small element tree for one record at a time (a site with its services, or one of an
//! agency's own fields): the stream is read element by element, and only the record
//! being read is held, so memory follows the largest record, not the file.

/// One element: name, attributes, its text, its children, and the line it starts on.
#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
    pub line: u64,
}

impl Node {
    pub fn new(name: String, attrs: Vec<(String, String)>, line: u64) -> Node {
        Node {
            name,
            attrs,
            line,
            ..Default::default()
        }
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first `name` child that has any.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.children
            .iter()
            .filter(|c| c.name == name)
            .map(|c| c.text.trim())
            .find(|t| !t.is_empty())
    }

    /// The trimmed text of every `name` child that has any.
    pub fn texts<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.all(name).map(|c| c.text.trim()).filter(|t| !t.is_empty())
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// An XML boolean attribute: "true"/"1" or "false"/"0" (any case).
    pub fn flag(&self, name: &str) -> Option<bool> {
        match self.attr(name)?.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        }
    }
}

/// Builds a [`Node`] from the events between an element's start and its end.
#[derive(Default)]
pub(crate) struct Builder {
    open: Vec<Node>,
}

impl Builder {
    pub fn start(name: String, attrs: Vec<(String, String)>, line: u64) -> Builder {
        Builder {
            open: vec![Node::new(name, attrs, line)],
        }
    }

    pub fn open(&mut self, name: String, attrs: Vec<(String, String)>, line: u64) {
        self.open.push(Node::new(name, attrs, line));
    }

    pub fn text(&mut self, text: &str) {
        if let Some(node) = self.open.last_mut() {
            node.text.push_str(text);
        }
    }

    /// Closes the innermost element; the whole record when it was the outermost.
    pub fn close(&mut self) -> Option<Node> {
        let node = self.open.pop()?;
        match self.open.last_mut() {
            Some(parent) => {
                parent.children.push(node);
                None
            }
            None => Some(node),
        }
    }
}
