/// The syntax tree of a template, referring to tokens by index.
///
/// Only what nests is a container: sections, inverted sections, parents and
/// blocks. Everything else, including comments and set-delimiter tags (kept
/// so that a line starting with one still gets its indentation), is a leaf.
enum TemplateNode {
    case leaf(token: Int)
    case container(open: Int, close: Int, children: [TemplateNode])
}
