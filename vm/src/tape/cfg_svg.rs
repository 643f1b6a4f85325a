//! Control-flow graphs as pictures: SVG for one function, an HTML page for a program.
//!
//! Takes a [`Cfg`] and its [`Function`] (or a whole [`Program`]); produces SVG text (no
//! script, nothing fetched) for `avmc compile --emit cfg-html`. Blocks are boxes stacked
//! in op order, each listing its ops; an edge to the next block is a short arrow down, any
//! other edge (a jump back or forward, a taken branch, a `try`'s catch) is routed in its
//! own column right of the blocks. Edges are coloured by kind and labelled; hovering a
//! block or an edge shows its text.

use std::fmt::Write;

use super::cfg::{Cfg, EdgeKind};
use super::program::{Function, Program};

const LINE_H: usize = 15;
const CHAR_W: f64 = 7.2;
const GAP: usize = 26;
const LEFT: usize = 16;
const COLUMN_W: usize = 16;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn edge_style(kind: EdgeKind) -> (&'static str, &'static str, &'static str) {
    // (colour, dash pattern, label)
    match kind {
        EdgeKind::Fallthrough => ("#555", "", ""),
        EdgeKind::Jump => ("#555", "", "jump"),
        EdgeKind::Taken => ("#2e8b57", "", "taken"),
        EdgeKind::NotTaken => ("#d35400", "", "not taken"),
        EdgeKind::Catch => ("#c0392b", "5 3", "catch"),
    }
}

/// One function's graph as an SVG element.
pub fn to_svg(cfg: &Cfg, function: &Function) -> String {
    // Block boxes: (top, height) and the text lines of each.
    let mut texts: Vec<Vec<String>> = Vec::new();
    for (i, block) in cfg.blocks.iter().enumerate() {
        let mut lines = vec![format!("b{i} · ops {}..{}", block.start, block.end)];
        lines.extend(cfg.lines(function, block));
        texts.push(lines);
    }
    let longest = texts
        .iter()
        .flatten()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(10);
    let box_w = (longest as f64 * CHAR_W) as usize + 16;
    let mut tops = Vec::new();
    let mut y = 12;
    for lines in &texts {
        tops.push((y, lines.len() * LINE_H + 8));
        y += lines.len() * LINE_H + 8 + GAP;
    }
    let far_edges = cfg
        .blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| b.successors.iter().map(move |e| (i, *e)))
        .filter(|(i, e)| e.to.0 as usize != i + 1)
        .count();
    let width = LEFT + box_w + 30 + far_edges * COLUMN_W + 60;
    let height = y;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cfg\" width=\"{width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"12\">"
    );
    let _ = writeln!(
        out,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"context-stroke\"/></marker></defs>"
    );
    for (i, lines) in texts.iter().enumerate() {
        let (top, h) = tops[i];
        let _ = writeln!(
            out,
            "<g class=\"block\"><title>{}</title><rect x=\"{LEFT}\" y=\"{top}\" width=\"{box_w}\" height=\"{h}\" rx=\"4\" fill=\"{}\" stroke=\"#4a5a78\"/>",
            escape(&lines.join("\n")),
            if i == 0 { "#fff4dd" } else { "#eef3fb" }
        );
        for (k, line) in lines.iter().enumerate() {
            let weight = if k == 0 { " font-weight=\"bold\"" } else { "" };
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\"{weight}>{}</text>",
                LEFT + 8,
                top + 16 + k * LINE_H,
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    let right = LEFT + box_w;
    let mut column = 0;
    for (i, block) in cfg.blocks.iter().enumerate() {
        for edge in &block.successors {
            let to = edge.to.0 as usize;
            let Some(&(to_top, _)) = tops.get(to) else {
                continue;
            };
            let (top, h) = tops[i];
            let (colour, dash, label) = edge_style(edge.kind);
            let title = format!(
                "b{i} → b{to}{}{label}",
                if label.is_empty() { "" } else { ": " }
            );
            let path = if to == i + 1 {
                let x = LEFT + 40;
                format!("M{x} {} V{}", top + h, to_top - 1)
            } else {
                column += 1;
                let x = right + 14 + column * COLUMN_W;
                let y1 = top + h / 2;
                let y2 = to_top + 10;
                format!("M{right} {y1} H{x} V{y2} H{}", right + 1)
            };
            let _ = writeln!(
                out,
                "<g class=\"edge\"><title>{}</title><path d=\"{path}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"{dash}\" marker-end=\"url(#arrow)\"/>",
                escape(&title)
            );
            if !label.is_empty() {
                let (lx, ly) = if to == i + 1 {
                    (LEFT + 46, top + h + GAP / 2 + 4)
                } else {
                    (right + 4, top + h / 2 - 3)
                };
                let _ = writeln!(
                    out,
                    "<text x=\"{lx}\" y=\"{ly}\" fill=\"{colour}\" font-size=\"10\">{label}</text>"
                );
            }
            out.push_str("</g>\n");
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Every function's graph on one self-contained HTML page.
pub fn program_page(program: &Program, title: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — control-flow graphs</title>\n<style>body {{ font: 14px system-ui, sans-serif; margin: 16px; }} h2 {{ font-size: 15px; margin: 24px 0 6px; }}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        escape(title),
        escape(title)
    );
    for f in &program.functions {
        let cfg = Cfg::build(f);
        let _ = writeln!(
            out,
            "<section class=\"function\"><h2>{}</h2>",
            escape(&f.name)
        );
        out.push_str(&to_svg(&cfg, f));
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::samples;

    #[test]
    fn every_block_and_edge_is_drawn() {
        let program = samples::fib(5).expect("the sample builds");
        for f in &program.functions {
            let cfg = Cfg::build(f);
            let svg = to_svg(&cfg, f);
            assert_eq!(svg.matches("class=\"block\"").count(), cfg.blocks.len());
            let edges: usize = cfg.blocks.iter().map(|b| b.successors.len()).sum();
            assert_eq!(svg.matches("class=\"edge\"").count(), edges);
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        }
        let page = program_page(&program, "fib");
        assert_eq!(page.matches("<svg").count(), program.functions.len());
    }
}
