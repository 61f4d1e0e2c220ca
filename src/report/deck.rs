//! `deck.pptx`: the board pack as a 16:9 slide deck a director can present as it is.
//!
//! Written as Office Open XML by hand, zipped with `zip` (ARCHITECTURE.md says why): one
//! slide master and three layouts (title, title and content, chart with caption) from
//! `assets/deck/`, every text in a placeholder of its layout so that a company template
//! restyles it, and every chart as its PNG in the layout's picture placeholder. The same
//! content gives the same bytes (entries in a fixed order, a fixed timestamp).

use super::pack::Doc;
use std::io::Write;

const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PML: &str = "application/vnd.openxmlformats-officedocument.presentationml";

/// Slide layouts, as numbered in `assets/deck/`.
#[derive(Clone, Copy)]
enum Layout {
    Title = 1,
    Content = 2,
    Chart = 3,
}

/// One slide: its layout, title, and either text lines or a chart with its caption.
pub struct Slide {
    layout: Layout,
    title: String,
    /// Lines of the body (subtitle, content or caption).
    lines: Vec<String>,
    /// The chart's file stem in `charts/` and its PNG.
    chart: Option<(String, Vec<u8>)>,
}

/// Text for a slide: XML-escaped, without the Markdown backticks of command names.
fn esc(s: &str) -> String {
    super::board::esc(&s.replace('`', ""))
}

/// A placeholder shape holding `lines` as paragraphs at `size` hundredths of a point
/// (0: the layout's), bulleted or not.
fn text_shape(id: u32, ph: &str, lines: &[String], size: u32, bullets: bool) -> String {
    let ppr = if bullets {
        String::new()
    } else {
        "<a:pPr marL=\"0\" indent=\"0\"><a:buNone/></a:pPr>".into()
    };
    let sz = if size > 0 {
        format!(" sz=\"{size}\"")
    } else {
        String::new()
    };
    let paras: String = lines
        .iter()
        .map(|l| {
            format!(
                "<a:p>{ppr}<a:r><a:rPr lang=\"en-GB\"{sz} dirty=\"0\"/><a:t>{}</a:t></a:r></a:p>",
                esc(l)
            )
        })
        .collect();
    let paras = if paras.is_empty() {
        "<a:p><a:endParaRPr lang=\"en-GB\"/></a:p>".to_string()
    } else {
        paras
    };
    format!(
        "<p:sp><p:nvSpPr><p:cNvPr id=\"{id}\" name=\"Placeholder {id}\"/><p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr><p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr><a:normAutofit/></a:bodyPr><a:lstStyle/>{paras}</p:txBody></p:sp>"
    )
}

/// The chart in the layout's picture placeholder, at the layout's place and size.
fn picture(id: u32, descr: &str) -> String {
    format!(
        "<p:pic><p:nvPicPr><p:cNvPr id=\"{id}\" name=\"Chart {id}\" descr=\"{}\"/><p:cNvPicPr><a:picLocks noGrp=\"1\" noChangeAspect=\"1\"/></p:cNvPicPr><p:nvPr><p:ph type=\"pic\" idx=\"1\"/></p:nvPr></p:nvPicPr><p:blipFill><a:blip r:embed=\"rId2\"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm><a:off x=\"1737360\" y=\"1005840\"/><a:ext cx=\"8717280\" cy=\"4903470\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr></p:pic>",
        esc(descr)
    )
}

/// A type size that keeps a body of `chars` characters on its slide.
fn body_size(chars: usize) -> u32 {
    match chars {
        0..=450 => 0,
        451..=700 => 1800,
        701..=1000 => 1600,
        1001..=1400 => 1400,
        _ => 1200,
    }
}

fn slide_xml(s: &Slide) -> String {
    let grp = "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/><a:chOff x=\"0\" y=\"0\"/><a:chExt cx=\"0\" cy=\"0\"/></a:xfrm></p:grpSpPr>";
    let title = std::slice::from_ref(&s.title);
    let shapes = match s.layout {
        Layout::Title => {
            text_shape(2, "type=\"ctrTitle\"", title, 0, false)
                + &text_shape(3, "type=\"subTitle\" idx=\"1\"", &s.lines, 2000, false)
        }
        Layout::Content => {
            let chars = s.lines.iter().map(|l| l.len()).sum();
            text_shape(2, "type=\"title\"", title, 0, false)
                + &text_shape(3, "idx=\"1\"", &s.lines, body_size(chars), true)
        }
        Layout::Chart => {
            text_shape(2, "type=\"title\"", title, 2400, false)
                + &picture(3, &s.title)
                + &text_shape(4, "type=\"body\" idx=\"2\"", &s.lines, 1300, false)
        }
    };
    format!(
        "{HEAD}<p:sld {NS}><p:cSld><p:spTree>{grp}{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
    )
}

fn rels(list: &[(&str, String)]) -> String {
    let items: String = list
        .iter()
        .enumerate()
        .map(|(i, (kind, target))| {
            format!(
                "<Relationship Id=\"rId{}\" Type=\"{DOC_REL}/{kind}\" Target=\"{target}\"/>",
                i + 1
            )
        })
        .collect();
    format!("{HEAD}<Relationships xmlns=\"{REL_NS}\">{items}</Relationships>")
}

fn content_types(n_slides: usize) -> String {
    let mut o = format!(
        "{HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/ppt/presentation.xml\" ContentType=\"{PML}.presentation.main+xml\"/>\
<Override PartName=\"/ppt/slideMasters/slideMaster1.xml\" ContentType=\"{PML}.slideMaster+xml\"/>\
<Override PartName=\"/ppt/theme/theme1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.theme+xml\"/>\
<Override PartName=\"/ppt/presProps.xml\" ContentType=\"{PML}.presProps+xml\"/>\
<Override PartName=\"/ppt/viewProps.xml\" ContentType=\"{PML}.viewProps+xml\"/>\
<Override PartName=\"/ppt/tableStyles.xml\" ContentType=\"{PML}.tableStyles+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    );
    for l in 1..=3 {
        o.push_str(&format!("<Override PartName=\"/ppt/slideLayouts/slideLayout{l}.xml\" ContentType=\"{PML}.slideLayout+xml\"/>"));
    }
    for s in 1..=n_slides {
        o.push_str(&format!(
            "<Override PartName=\"/ppt/slides/slide{s}.xml\" ContentType=\"{PML}.slide+xml\"/>"
        ));
    }
    o.push_str("</Types>");
    o
}

fn presentation(n_slides: usize) -> String {
    let ids: String = (0..n_slides)
        .map(|i| format!("<p:sldId id=\"{}\" r:id=\"rId{}\"/>", 256 + i, i + 6))
        .collect();
    format!(
        "{HEAD}<p:presentation {NS} saveSubsetFonts=\"1\"><p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx=\"12192000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/></p:presentation>"
    )
}

/// The package's parts other than slides and media, in a fixed order.
fn fixed_parts(title: &str, n_slides: usize) -> Vec<(String, String)> {
    let mut pres_rels: Vec<(&str, String)> = vec![
        ("slideMaster", "slideMasters/slideMaster1.xml".into()),
        ("theme", "theme/theme1.xml".into()),
        ("presProps", "presProps.xml".into()),
        ("viewProps", "viewProps.xml".into()),
        ("tableStyles", "tableStyles.xml".into()),
    ];
    pres_rels.extend((1..=n_slides).map(|i| ("slide", format!("slides/slide{i}.xml"))));
    let layout_rel = || rels(&[("slideMaster", "../slideMasters/slideMaster1.xml".into())]);
    vec![
        ("[Content_Types].xml".into(), content_types(n_slides)),
        ("_rels/.rels".into(), format!(
            "{HEAD}<Relationships xmlns=\"{REL_NS}\"><Relationship Id=\"rId1\" Type=\"{DOC_REL}/officeDocument\" Target=\"ppt/presentation.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId3\" Type=\"{DOC_REL}/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"
        )),
        ("docProps/core.xml".into(), format!(
            "{HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>tokensim</dc:creator></cp:coreProperties>",
            esc(title)
        )),
        ("docProps/app.xml".into(), format!(
            "{HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>tokensim</Application><Slides>{n_slides}</Slides></Properties>"
        )),
        ("ppt/presentation.xml".into(), presentation(n_slides)),
        ("ppt/_rels/presentation.xml.rels".into(), rels(&pres_rels)),
        ("ppt/presProps.xml".into(), format!("{HEAD}<p:presentationPr {NS}/>")),
        ("ppt/viewProps.xml".into(), format!("{HEAD}<p:viewPr {NS}/>")),
        ("ppt/tableStyles.xml".into(), format!(
            "{HEAD}<a:tblStyleLst xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" def=\"{{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}}\"/>"
        )),
        ("ppt/theme/theme1.xml".into(), include_str!("../../assets/deck/theme1.xml").into()),
        ("ppt/slideMasters/slideMaster1.xml".into(), include_str!("../../assets/deck/slideMaster1.xml").into()),
        ("ppt/slideMasters/_rels/slideMaster1.xml.rels".into(), rels(&[
            ("slideLayout", "../slideLayouts/slideLayout1.xml".into()),
            ("slideLayout", "../slideLayouts/slideLayout2.xml".into()),
            ("slideLayout", "../slideLayouts/slideLayout3.xml".into()),
            ("theme", "../theme/theme1.xml".into()),
        ])),
        ("ppt/slideLayouts/slideLayout1.xml".into(), include_str!("../../assets/deck/slideLayout1.xml").into()),
        ("ppt/slideLayouts/slideLayout2.xml".into(), include_str!("../../assets/deck/slideLayout2.xml").into()),
        ("ppt/slideLayouts/slideLayout3.xml".into(), include_str!("../../assets/deck/slideLayout3.xml").into()),
        ("ppt/slideLayouts/_rels/slideLayout1.xml.rels".into(), layout_rel()),
        ("ppt/slideLayouts/_rels/slideLayout2.xml.rels".into(), layout_rel()),
        ("ppt/slideLayouts/_rels/slideLayout3.xml.rels".into(), layout_rel()),
    ]
}

/// The slides of the pack, in the order a board hears them. `png` gives a chart's PNG
/// by its file stem; a chart the run did not draw is left out with its slide.
pub fn slides(d: &Doc, png: &dyn Fn(&str) -> Option<Vec<u8>>) -> Vec<Slide> {
    let text = |title: &str, lines: Vec<String>| Slide {
        layout: Layout::Content,
        title: title.into(),
        lines,
        chart: None,
    };
    let line = |what: &str| {
        d.summary
            .iter()
            .find(|(w, _)| *w == what)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    let chart = |title: &str, stem: &str| {
        let (caption, bytes) = (d.charts.iter().find(|c| c.2 == stem)?, png(stem)?);
        Some(Slide {
            layout: Layout::Chart,
            title: title.into(),
            lines: vec![caption.1.clone()],
            chart: Some((stem.into(), bytes)),
        })
    };
    // A finding with its chart under it where the run drew one, as text otherwise.
    let finding = |title: &str, stem: &str, what: &str| match png(stem) {
        Some(bytes) if d.charts.iter().any(|c| c.2 == stem) => Slide {
            layout: Layout::Chart,
            title: title.into(),
            lines: vec![line(what)],
            chart: Some((stem.into(), bytes)),
        },
        _ => text(title, vec![line(what)]),
    };
    let rows = |g: &super::pack::Grid, f: &dyn Fn(&[String]) -> String| -> Vec<String> {
        g.rows.iter().map(|r| f(r)).collect()
    };
    let mut out = vec![
        Slide {
            layout: Layout::Title,
            title: d.title.clone(),
            lines: vec![line("The question"), d.meta.clone()],
            chart: None,
        },
        text("The answer", vec![line("The answer"), line("The downside")]),
        finding("Why", "waterfall", "Why"),
        text(
            "The strategies compared",
            d.strategies
                .iter()
                .map(|(n, w)| format!("{n}: {w}"))
                .collect(),
        ),
    ];
    let mut sheet = rows(&d.spreadsheet, &|r| {
        format!("{}: spreadsheet {}; simulation mean {}", r[0], r[1], r[2])
    });
    sheet.extend(d.spreadsheet_notes.iter().skip(1).cloned());
    out.push(text("The spreadsheet against the simulation", sheet));
    out.extend(chart("The distribution of NPV", "npv_distribution"));
    out.extend(chart("The paired difference", "paired_difference"));
    out.push(finding(
        "What would have to be true for the other answer",
        "discover",
        "What would have to be true for the other answer",
    ));
    out.push(finding("What to learn first", "voi", "What to learn first"));
    out.extend(chart("Costs", "cost_breakdown"));
    out.extend(chart("Risks: incidents", "incident_loss_exceedance"));
    out.extend(chart("Risks: know-how", "knowledge"));
    out.extend(chart("The assumptions that move the result", "tornado"));
    out.push(text(
        "The assumptions and their sources",
        d.assumptions
            .rows
            .iter()
            .take(5)
            .map(|r| format!("{}: {} ({})", r[0], r[1], r[3]))
            .collect(),
    ));
    let mut method = vec![d.statistic.clone()];
    method.extend(d.trust.iter().cloned());
    out.push(text("Method", method));
    out
}

/// `deck.pptx` of `slides`.
pub fn deck(title: &str, slides: &[Slide]) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), String> {
        z.start_file(name, opts).map_err(|e| e.to_string())?;
        z.write_all(bytes).map_err(|e| e.to_string())
    };
    for (name, xml) in fixed_parts(title, slides.len()) {
        put(&name, xml.as_bytes())?;
    }
    for (i, s) in slides.iter().enumerate() {
        let n = i + 1;
        put(&format!("ppt/slides/slide{n}.xml"), slide_xml(s).as_bytes())?;
        let mut list = vec![(
            "slideLayout",
            format!("../slideLayouts/slideLayout{}.xml", s.layout as u8),
        )];
        if let Some((stem, bytes)) = &s.chart {
            list.push(("image", format!("../media/{stem}.png")));
            put(&format!("ppt/media/{stem}.png"), bytes)?;
        }
        put(
            &format!("ppt/slides/_rels/slide{n}.xml.rels"),
            rels(&list).as_bytes(),
        )?;
    }
    let cursor = z.finish().map_err(|e| e.to_string())?;
    Ok(cursor.into_inner())
}
