#include "letters/pdf_writer.h"

#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "letters/font_subset.h"
#include "letters/printable.h"

namespace bescheid::letters {
namespace {

constexpr double kA4Width = 595.276;
constexpr double kA4Height = 841.890;

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};
using DocPtr = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

struct ErrorState {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS code, HPDF_STATUS detail, void* user) {
  auto* e = static_cast<ErrorState*>(user);
  if (e->code == HPDF_OK) {
    e->code = code;
    e->detail = detail;
  }
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// PDFDocEncoding: Latin-1 plus these code points in 0x80..0xA0.
constexpr unsigned kPdfDocHigh[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039,
    0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018, 0x2019, 0x201A,
    0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017D, 0x0131,
    0x0142, 0x0153, 0x0161, 0x017E, 0,      0x20AC};

void AppendUtf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// A metadata value in the two forms PDF/A wants to agree: PDFDocEncoding
// bytes for the Info dictionary and UTF-8 for the XMP packet. Characters
// PDFDocEncoding lacks become '?' in both.
struct MetaText {
  std::string pdfdoc;
  std::string utf8;
};

MetaText ToMetaText(const std::string& utf8) {
  MetaText m;
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    unsigned cp = '?';
    size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      cp = ((c & 0x1Fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      n = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      cp = ((c & 0x0Fu) << 12) |
           ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
      n = 3;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4;
    }
    i += n;
    int byte = -1;
    if (cp < 0x80 || (cp > 0xA0 && cp <= 0xFF)) {
      byte = static_cast<int>(cp);
    } else {
      for (int k = 0; k < 33; ++k) {
        if (kPdfDocHigh[k] == cp && cp != 0) byte = 0x80 + k;
      }
    }
    if (byte < 0) {
      byte = '?';
      cp = '?';
    }
    m.pdfdoc += static_cast<char>(byte);
    AppendUtf8(m.utf8, cp);
  }
  return m;
}

std::tm Utc(int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

std::string XmpDate(int64_t t) {
  std::tm tm = Utc(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

HPDF_Date HaruDate(int64_t t) {
  std::tm tm = Utc(t);
  HPDF_Date d{};
  d.year = tm.tm_year + 1900;
  d.month = tm.tm_mon + 1;
  d.day = tm.tm_mday;
  d.hour = tm.tm_hour;
  d.minutes = tm.tm_min;
  d.seconds = tm.tm_sec;
  d.ind = 'Z';
  return d;
}

// 16 bytes that identify the document, derived from its metadata so that
// the same letter gets the same ID (FNV-1a, twice with different seeds).
std::array<unsigned char, 16> DocumentId(const PdfMetadata& m) {
  std::array<unsigned char, 16> id{};
  const std::string key =
      m.title + '\n' + m.subject + '\n' + std::to_string(m.timestamp);
  for (int half = 0; half < 2; ++half) {
    uint64_t h = 1469598103934665603ull ^ static_cast<uint64_t>(half * 0x9E37);
    for (char c : key) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
    for (int b = 0; b < 8; ++b) {
      id[half * 8 + b] = static_cast<unsigned char>(h >> (8 * b));
    }
  }
  return id;
}

Result<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read '" + path + "'");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

// A configured TrueType font, cut to the letters' repertoire when the
// writer is made: the source of each letter's own cut, and the metrics and
// coverage that line breaking and the printable check use.
struct SourceFont {
  std::string path;
  std::string ttf;               // repertoire subset
  std::vector<uint16_t> widths;  // by code point, 1/1000 em
  std::vector<bool> has_glyph;   // by code point

  double Width(char32_t cp) const {
    return cp < widths.size() ? widths[cp] : 0;
  }
  bool Has(char32_t cp) const { return cp < has_glyph.size() && has_glyph[cp]; }
};

// A font cut to exactly the characters of a letter (its "glyph set"),
// registered with libharu. Letters with the same glyph set share it.
struct GlyphSetFont {
  std::u32string key;  // style marker + the code points, ascending
  HPDF_FontDef def = nullptr;
  std::string name;        // "ABCDEF+DejaVuSans", for HPDF_GetFont
  std::string to_unicode;  // its ToUnicode CMap program
  uint64_t last_used = 0;
};

// How many glyph-set fonts stay registered. Letters of one kind share one
// set; names with rarer letters add one each.
constexpr size_t kCachedGlyphSets = 32;

struct PdfWriter::Impl {
  ErrorState error;
  DocPtr doc;
  SourceFont regular, bold;
  std::vector<GlyphSetFont> glyph_sets;
  uint64_t uses = 0;
  std::string icc;

  Status Check(const std::string& what) {
    if (error.code == HPDF_OK) return Status::Ok();
    char buf[64];
    std::snprintf(buf, sizeof buf, " (libharu error 0x%04X, detail %u)",
                  static_cast<unsigned>(error.code),
                  static_cast<unsigned>(error.detail));
    error = ErrorState{};
    return InternalError(what + buf);
  }

  // Check(what), or an internal error when libharu failed without calling
  // the error handler (some functions only return their error code).
  Status Fail(const std::string& what, HPDF_STATUS code = HPDF_OK) {
    Status s = Check(what);
    if (!s.ok()) return s;
    char buf[32];
    std::snprintf(buf, sizeof buf, " (libharu error 0x%04X)",
                  static_cast<unsigned>(code));
    return InternalError(what + buf);
  }

  Status LoadSource(const std::string& path, SourceFont* out);
  Result<HPDF_Font> FontFor(const SourceFont& source, char style,
                            const std::vector<char32_t>& code_points);
  Result<GlyphSetFont*> GlyphSet(const SourceFont& source, char style,
                                 const std::vector<char32_t>& code_points);
  void Evict(std::vector<GlyphSetFont>::iterator it);
  Status ReplaceToUnicode(HPDF_Font font, const std::string& cmap);

  Status AddMetadata(const PdfMetadata& m) {
    HPDF_Doc pdf = doc.get();
    const MetaText title = ToMetaText(m.title);
    const MetaText author = ToMetaText(m.author);
    const MetaText subject = ToMetaText(m.subject);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, title.pdfdoc.c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, author.pdfdoc.c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, subject.pdfdoc.c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "bescheid");
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, HaruDate(m.timestamp));
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, HaruDate(m.timestamp));
    const char* producer = HPDF_GetInfoAttr(pdf, HPDF_INFO_PRODUCER);

    // XMP packet matching the Info dictionary (libharu's own helper writes
    // values unescaped and a time-based ID, so it is not used).
    std::string xmp =
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" "
        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "<dc:format>application/pdf</dc:format>\n"
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
        XmlEscape(title.utf8) +
        "</rdf:li></rdf:Alt></dc:title>\n"
        "<dc:creator><rdf:Seq><rdf:li>" +
        XmlEscape(author.utf8) +
        "</rdf:li></rdf:Seq></dc:creator>\n"
        "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" +
        XmlEscape(subject.utf8) +
        "</rdf:li></rdf:Alt></dc:description>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" "
        "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
        "<xmp:CreatorTool>bescheid</xmp:CreatorTool>\n"
        "<xmp:CreateDate>" +
        XmpDate(m.timestamp) +
        "</xmp:CreateDate>\n"
        "<xmp:ModifyDate>" +
        XmpDate(m.timestamp) +
        "</xmp:ModifyDate>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" "
        "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
        "<pdf:Producer>" +
        XmlEscape(producer ? producer : "") +
        "</pdf:Producer>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" "
        "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "<pdfaid:part>1</pdfaid:part>\n"
        "<pdfaid:conformance>B</pdfaid:conformance>\n"
        "</rdf:Description>\n"
        "</rdf:RDF>\n"
        "</x:xmpmeta>\n"
        "<?xpacket end=\"w\"?>";
    HPDF_Dict metadata = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (metadata == nullptr) return Check("XMP stream");
    HPDF_Dict_AddName(metadata, "Type", "Metadata");
    HPDF_Dict_AddName(metadata, "Subtype", "XML");
    HPDF_Stream_Write(metadata->stream,
                      reinterpret_cast<const HPDF_BYTE*>(xmp.data()),
                      static_cast<HPDF_UINT>(xmp.size()));
    HPDF_Dict_Add(pdf->catalog, "Metadata", metadata);

    // Output intent: sRGB, as PDF/A-1 requires for device colour.
    HPDF_Dict profile = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (profile == nullptr) return Check("ICC stream");
    profile->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    HPDF_Dict_AddNumber(profile, "N", 3);
    HPDF_Stream_Write(profile->stream,
                      reinterpret_cast<const HPDF_BYTE*>(icc.data()),
                      static_cast<HPDF_UINT>(icc.size()));
    HPDF_Dict intent = HPDF_Dict_New(pdf->mmgr);
    HPDF_Xref_Add(pdf->xref, intent);
    HPDF_Dict_AddName(intent, "Type", "OutputIntent");
    HPDF_Dict_AddName(intent, "S", "GTS_PDFA1");
    HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                  HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", nullptr));
    HPDF_Dict_Add(intent, "Info",
                  HPDF_String_New(pdf->mmgr, "sRGB IEC61966-2.1", nullptr));
    HPDF_Dict_Add(intent, "DestOutputProfile", profile);
    HPDF_Array intents = HPDF_Array_New(pdf->mmgr);
    HPDF_Array_Add(intents, intent);
    HPDF_Dict_Add(pdf->catalog, "OutputIntents", intents);

    // A stable file identifier.
    const auto id = DocumentId(m);
    HPDF_Array ids = HPDF_Array_New(pdf->mmgr);
    HPDF_Array_Add(
        ids, HPDF_Binary_New(pdf->mmgr, const_cast<HPDF_BYTE*>(id.data()), 16));
    HPDF_Array_Add(
        ids, HPDF_Binary_New(pdf->mmgr, const_cast<HPDF_BYTE*>(id.data()), 16));
    HPDF_Dict_Add(pdf->trailer, "ID", ids);
    pdf->pdf_version = HPDF_VER_14;
    return Check("PDF/A metadata");
  }
};

// A ToUnicode CMap (PDF 32000 9.10.3) for libharu's UTF-8 fonts, whose
// two-byte codes are the code points themselves (Identity-H): each run of
// consecutive code points maps onto itself. libharu 2.3 puts its encoding
// CMap (a cidrange) under /ToUnicode, which is not a ToUnicode map, so text
// extraction and PDF/A need this one instead.
std::string ToUnicodeCMap(const std::vector<char32_t>& code_points) {
  std::vector<std::pair<unsigned, unsigned>> runs;
  for (char32_t c : code_points) {
    const unsigned cp = static_cast<unsigned>(c);
    // A bfrange may only vary in the last byte.
    if (!runs.empty() && runs.back().second + 1 == cp && (cp & 0xFF) != 0) {
      runs.back().second = cp;
    } else {
      runs.push_back({cp, cp});
    }
  }
  std::string out =
      "/CIDInit /ProcSet findresource begin\n"
      "12 dict begin\n"
      "begincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> "
      "def\n"
      "/CMapName /Adobe-Identity-UCS def\n"
      "/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  char buf[48];
  for (size_t i = 0; i < runs.size(); i += 100) {
    const size_t n = std::min<size_t>(100, runs.size() - i);
    out += std::to_string(n) + " beginbfrange\n";
    for (size_t k = i; k < i + n; ++k) {
      std::snprintf(buf, sizeof buf, "<%04X> <%04X> <%04X>\n", runs[k].first,
                    runs[k].second, runs[k].first);
      out += buf;
    }
    out += "endbfrange\n";
  }
  out +=
      "endcmap\n"
      "CMapName currentdict /CMap defineresource pop\n"
      "end\n"
      "end\n";
  return out;
}

// The subset tag of a glyph set: six capitals (PDF 32000 9.6.4) derived
// from the set, so that the same letter gets the same bytes in any process.
std::string SubsetTag(const std::u32string& key) {
  uint64_t h = 1469598103934665603ull;
  for (char32_t c : key) {
    h ^= static_cast<uint64_t>(c);
    h *= 1099511628211ull;
  }
  std::string tag(6, 'A');
  for (char& t : tag) {
    t = static_cast<char>('A' + h % 26);
    h /= 26;
  }
  return tag;
}

Status PdfWriter::Impl::LoadSource(const std::string& path, SourceFont* out) {
  Result<std::string> bytes = ReadAll(path);
  if (!bytes.ok()) {
    return ConfigError("Schriftart '" + path + "' kann nicht gelesen werden.");
  }
  Result<FontSubset> subset = SubsetToRepertoire(*bytes, path);
  if (!subset.ok()) return subset.status();
  out->path = path;
  out->ttf = std::move(subset->ttf);
  // libharu's UTF-8 encoder reaches the Basic Multilingual Plane only.
  const char32_t limit = std::min<char32_t>(subset->code_points.back(), 0xFFFF);
  out->widths.assign(limit + 1, 0);
  out->has_glyph.assign(limit + 1, false);
  for (size_t i = 0; i < subset->code_points.size(); ++i) {
    const char32_t cp = subset->code_points[i];
    if (cp > limit) continue;
    out->widths[cp] = subset->widths[i];
    out->has_glyph[cp] = true;
  }
  // The letters' own cuts are made from this one: check once that libharu
  // reads what HarfBuzz writes.
  std::vector<char32_t> probe(
      subset->code_points.begin(),
      subset->code_points.begin() +
          std::min<size_t>(8, subset->code_points.size()));
  Result<GlyphSetFont*> loaded = GlyphSet(*out, 'p', probe);
  if (!loaded.ok()) {
    return ConfigError("Schriftart '" + path +
                       "' kann nicht geladen werden (TrueType erwartet).");
  }
  Evict(glyph_sets.begin() + (*loaded - glyph_sets.data()));
  return Status::Ok();
}

void PdfWriter::Impl::Evict(std::vector<GlyphSetFont>::iterator it) {
  HPDF_Doc pdf = doc.get();
  HPDF_List_Remove(pdf->fontdef_list, it->def);
  HPDF_FontDef_Free(it->def);
  glyph_sets.erase(it);
}

// The registered font for `code_points` in `source`, cut and registered now
// if no letter used this glyph set lately. Only between documents may a
// font be evicted; callers call this after HPDF_NewDoc.
Result<GlyphSetFont*> PdfWriter::Impl::GlyphSet(
    const SourceFont& source, char style,
    const std::vector<char32_t>& code_points) {
  std::u32string key(1, static_cast<char32_t>(style));
  key.append(code_points.begin(), code_points.end());
  ++uses;
  const std::string tag = SubsetTag(key);
  for (auto it = glyph_sets.begin(); it != glyph_sets.end(); ++it) {
    if (it->key == key) {
      it->last_used = uses;
      return &*it;
    }
    if (it->key[0] == key[0] && it->name.compare(0, 6, tag) == 0) {
      Evict(it);  // same tag, other set: libharu finds fonts by name
      break;
    }
  }
  if (glyph_sets.size() >= kCachedGlyphSets) {
    Evict(std::min_element(glyph_sets.begin(), glyph_sets.end(),
                           [](const GlyphSetFont& x, const GlyphSetFont& y) {
                             return x.last_used < y.last_used;
                           }));
  }
  std::vector<CodePointRange> keep;
  for (char32_t cp : code_points) keep.push_back({cp, cp});
  Result<FontSubset> cut = SubsetFont(source.ttf, keep, source.path);
  if (!cut.ok()) return cut.status();

  // libharu reads the font from a memory stream it owns from here on
  // (HPDF_TTFontDef_Load frees it on failure, the font definition later).
  HPDF_Doc pdf = doc.get();
  HPDF_Stream stream = HPDF_MemStream_New(pdf->mmgr, HPDF_STREAM_BUF_SIZ);
  if (stream == nullptr) return Fail("font stream");
  if (HPDF_Stream_Write(stream,
                        reinterpret_cast<const HPDF_BYTE*>(cut->ttf.data()),
                        static_cast<HPDF_UINT>(cut->ttf.size())) != HPDF_OK) {
    HPDF_Stream_Free(stream);
    return Fail("font stream");
  }
  HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, stream, HPDF_TRUE);
  if (def == nullptr) return Fail("loading font " + source.path);
  HPDF_TTFontDef_SetTagName(def, const_cast<char*>(tag.c_str()));
  // libharu finds fonts by the untagged name, which every cut of a font
  // shares; name this cut by its tagged name (as written into the PDF).
  const auto* attr = static_cast<HPDF_TTFontDefAttr>(def->attr);
  std::memcpy(def->base_font, attr->base_font, sizeof def->base_font);
  // Frees `def` when it fails.
  if (HPDF_STATUS rc = HPDF_Doc_RegisterFontDef(pdf, def); rc != HPDF_OK) {
    return Fail("registering font " + source.path + " as " + def->base_font,
                rc);
  }
  GlyphSetFont g;
  g.key = std::move(key);
  g.def = def;
  g.name = def->base_font;
  g.to_unicode = ToUnicodeCMap(code_points);
  g.last_used = uses;
  glyph_sets.push_back(std::move(g));
  return &glyph_sets.back();
}

Result<HPDF_Font> PdfWriter::Impl::FontFor(
    const SourceFont& source, char style,
    const std::vector<char32_t>& code_points) {
  Result<GlyphSetFont*> g = GlyphSet(source, style, code_points);
  if (!g.ok()) return g.status();
  HPDF_Font font = HPDF_GetFont(doc.get(), (*g)->name.c_str(), "UTF-8");
  if (font == nullptr) return Fail("font " + source.path);
  Status s = ReplaceToUnicode(font, (*g)->to_unicode);
  if (!s.ok()) return s;
  return font;
}

// Replaces the /ToUnicode stream libharu made for `font` with `program`, in
// place, so that no orphaned stream is written.
Status PdfWriter::Impl::ReplaceToUnicode(HPDF_Font font,
                                         const std::string& program) {
  auto* attr = static_cast<HPDF_FontAttr>(font->attr);
  HPDF_Dict cmap = attr->cmap_stream;
  if (cmap == nullptr || cmap->stream == nullptr) {
    return InternalError("libharu font without ToUnicode stream");
  }
  // The encoding CMap's keys; a key that is absent is no error.
  for (const char* key : {"Type", "CMapName", "CIDSystemInfo", "WMode"}) {
    HPDF_Dict_RemoveElement(cmap, key);
  }
  HPDF_Stream fresh = HPDF_MemStream_New(cmap->mmgr, HPDF_STREAM_BUF_SIZ);
  if (fresh == nullptr) return Fail("ToUnicode stream");
  HPDF_Stream_Free(cmap->stream);
  cmap->stream = fresh;
  HPDF_Stream_Write(fresh, reinterpret_cast<const HPDF_BYTE*>(program.data()),
                    static_cast<HPDF_UINT>(program.size()));
  return Check("ToUnicode stream");
}

PdfWriter::PdfWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfWriter::~PdfWriter() = default;

Result<std::unique_ptr<PdfWriter>> PdfWriter::Create(
    const std::string& regular_ttf, const std::string& bold_ttf,
    const std::string& icc_profile) {
  auto impl = std::make_unique<Impl>();
  impl->doc.reset(HPDF_New(&OnError, &impl->error));
  if (!impl->doc) return InternalError("libharu: cannot create document");
  // Registers the "UTF-8" encoder; encoders outlive HPDF_NewDoc.
  if (HPDF_UseUTFEncodings(impl->doc.get()) != HPDF_OK) {
    return impl->Check("UTF-8 encoder");
  }
  Status s = impl->LoadSource(regular_ttf, &impl->regular);
  if (!s.ok()) return s;
  s = impl->LoadSource(bold_ttf, &impl->bold);
  if (!s.ok()) return s;
  Result<std::string> icc = ReadAll(icc_profile);
  if (!icc.ok()) {
    return ConfigError("ICC-Profil '" + icc_profile +
                       "' kann nicht gelesen werden.");
  }
  impl->icc = std::move(icc).value();
  return std::unique_ptr<PdfWriter>(new PdfWriter(std::move(impl)));
}

bool PdfWriter::CanPrint(char32_t cp) const {
  return InLetterRepertoire(cp) && impl_->regular.Has(cp) &&
         impl_->bold.Has(cp);
}

double PdfWriter::Width(std::string_view text, FontStyle style,
                        double size) const {
  const SourceFont& f =
      style == FontStyle::kBold ? impl_->bold : impl_->regular;
  double units = 0;
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = NextCodePoint(text, &i);
    if (cp == kInvalidCodePoint) return kUnprintableWidth;
    units += f.Width(cp);
  }
  return units * size / 1000.0;
}

Result<std::string> PdfWriter::Write(const std::vector<Page>& pages,
                                     const PdfMetadata& meta) {
  Impl& im = *impl_;
  HPDF_Doc pdf = im.doc.get();
  im.error = ErrorState{};
  // Never a missing glyph: callers check first (letters/printable.h); this
  // is the backstop for text from anywhere else.
  Status s = CheckPrintable(pages, core::Application{},
                            [this](char32_t cp) { return CanPrint(cp); });
  if (!s.ok()) return s;
  // Each style's glyph set: the code points its texts use.
  std::vector<bool> used[2];
  for (int k = 0; k < 2; ++k)
    used[k].assign(im.regular.has_glyph.size(), false);
  for (const Page& p : pages) {
    for (const TextOp& t : p.texts) {
      std::vector<bool>& u = used[t.style == FontStyle::kBold ? 1 : 0];
      for (size_t i = 0; i < t.text.size();) {
        const char32_t cp = NextCodePoint(t.text, &i);
        if (cp >= u.size()) u.resize(cp + 1, false);
        u[cp] = true;
      }
    }
  }
  if (HPDF_NewDoc(pdf) != HPDF_OK) return im.Check("new document");
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  // A font is only put into the document when a text uses it.
  HPDF_Font fonts[2] = {nullptr, nullptr};
  for (int k = 0; k < 2; ++k) {
    std::vector<char32_t> cps;
    for (char32_t cp = 0; cp < used[k].size(); ++cp) {
      if (used[k][cp]) cps.push_back(cp);
    }
    if (cps.empty()) continue;
    Result<HPDF_Font> f = k == 1 ? im.FontFor(im.bold, 'b', cps)
                                 : im.FontFor(im.regular, 'r', cps);
    if (!f.ok()) return f.status();
    fonts[k] = *f;
  }

  for (const Page& p : pages) {
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(kA4Width));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(kA4Height));
    for (const LineOp& l : p.lines) {
      HPDF_Page_SetLineWidth(page, static_cast<HPDF_REAL>(l.width));
      HPDF_Page_MoveTo(page, static_cast<HPDF_REAL>(l.x1),
                       static_cast<HPDF_REAL>(kA4Height - l.y1));
      HPDF_Page_LineTo(page, static_cast<HPDF_REAL>(l.x2),
                       static_cast<HPDF_REAL>(kA4Height - l.y2));
      HPDF_Page_Stroke(page);
    }
    HPDF_Page_BeginText(page);
    HPDF_Font current = nullptr;
    double current_size = 0;
    for (const TextOp& t : p.texts) {
      HPDF_Font f = fonts[t.style == FontStyle::kBold ? 1 : 0];
      if (f != current || t.size != current_size) {
        HPDF_Page_SetFontAndSize(page, f, static_cast<HPDF_REAL>(t.size));
        current = f;
        current_size = t.size;
      }
      HPDF_Page_TextOut(page, static_cast<HPDF_REAL>(t.x),
                        static_cast<HPDF_REAL>(kA4Height - t.y),
                        t.text.c_str());
    }
    HPDF_Page_EndText(page);
    s = im.Check("drawing page");
    if (!s.ok()) return s;
  }
  s = im.AddMetadata(meta);
  if (!s.ok()) return s;

  if (HPDF_SaveToStream(pdf) != HPDF_OK) return im.Check("saving");
  const HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
  std::string out(size, '\0');
  HPDF_UINT32 read = size;
  HPDF_ResetStream(pdf);
  if (HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(out.data()),
                          &read) != HPDF_OK &&
      read != size) {
    return im.Check("reading the saved document");
  }
  im.error = ErrorState{};  // HPDF_ReadFromStream reports end of stream
  out.resize(read);
  return out;
}

}  // namespace bescheid::letters
