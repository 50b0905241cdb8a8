#include "letters/pdf_writer.h"

#include <hpdf.h>
#include <hpdf_doc.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "letters/cp1252.h"

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

struct PdfWriter::Impl {
  ErrorState error;
  DocPtr doc;
  std::string regular_name, bold_name;
  std::array<double, 256> regular_widths{}, bold_widths{};  // 1/1000 em
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

PdfWriter::PdfWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfWriter::~PdfWriter() = default;

Result<std::unique_ptr<PdfWriter>> PdfWriter::Create(
    const std::string& regular_ttf, const std::string& bold_ttf,
    const std::string& icc_profile) {
  auto impl = std::make_unique<Impl>();
  impl->doc.reset(HPDF_New(&OnError, &impl->error));
  if (!impl->doc) return InternalError("libharu: cannot create document");
  HPDF_Doc pdf = impl->doc.get();

  for (const auto& [path, name, widths] :
       {std::tuple{&regular_ttf, &impl->regular_name, &impl->regular_widths},
        std::tuple{&bold_ttf, &impl->bold_name, &impl->bold_widths}}) {
    const char* loaded = HPDF_LoadTTFontFromFile(pdf, path->c_str(), HPDF_TRUE);
    if (loaded == nullptr) {
      impl->error = ErrorState{};
      return ConfigError("Schriftart '" + *path +
                         "' kann nicht geladen werden (TrueType erwartet).");
    }
    *name = loaded;
    HPDF_Font font = HPDF_GetFont(pdf, loaded, "CP1252");
    if (font == nullptr) return impl->Check("font " + *path);
    for (int b = 0; b < 256; ++b) {
      const unsigned cp = CodePointOf(static_cast<unsigned char>(b));
      (*widths)[b] = cp == 0 ? 0
                             : HPDF_Font_GetUnicodeWidth(
                                   font, static_cast<HPDF_UNICODE>(cp));
    }
  }
  Result<std::string> icc = ReadAll(icc_profile);
  if (!icc.ok()) {
    return ConfigError("ICC-Profil '" + icc_profile +
                       "' kann nicht gelesen werden.");
  }
  impl->icc = std::move(icc).value();
  Status s = impl->Check("loading fonts");
  if (!s.ok()) return s;
  return std::unique_ptr<PdfWriter>(new PdfWriter(std::move(impl)));
}

double PdfWriter::Width(std::string_view text, FontStyle style,
                        double size) const {
  const auto& w =
      style == FontStyle::kBold ? impl_->bold_widths : impl_->regular_widths;
  double units = 0;
  for (char c : text) units += w[static_cast<unsigned char>(c)];
  return units * size / 1000.0;
}

Result<std::string> PdfWriter::Write(const std::vector<Page>& pages,
                                     const PdfMetadata& meta) {
  Impl& im = *impl_;
  HPDF_Doc pdf = im.doc.get();
  im.error = ErrorState{};
  if (HPDF_NewDoc(pdf) != HPDF_OK) return im.Check("new document");
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_Font regular = HPDF_GetFont(pdf, im.regular_name.c_str(), "CP1252");
  HPDF_Font bold = HPDF_GetFont(pdf, im.bold_name.c_str(), "CP1252");
  Status s = im.Check("fonts");
  if (!s.ok()) return s;

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
      HPDF_Font f = t.style == FontStyle::kBold ? bold : regular;
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
