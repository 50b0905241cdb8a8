// The hostile-input corpus for scans: broken, oversized and active image and
// PDF files, made programmatically (no binary blobs in git), each with the
// part of the German reason it must be refused with. tests/scan/intake_test
// checks each against the intake; the daemon-level tests drop the same
// files into a running watcher once it routes scans.
//
// The makers use Leptonica (through scan/image_write.h) and qpdf directly,
// so that they do not depend on the code under test.
#ifndef BESCHEID_TESTS_HOSTILE_SCAN_FILES_H_
#define BESCHEID_TESTS_HOSTILE_SCAN_FILES_H_

#include <allheaders.h>

#include <cstdint>
#include <functional>
#include <ostream>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>
#include <random>
#include <string>
#include <vector>

#include "hostile/tiff_cut.h"
#include "scan/image_write.h"
#include "scan/pix.h"

namespace bescheid::testing {

// A page of `w` x `h` pixels with a pattern (noise compresses badly, so a
// cut file loses real data), at `dpi`.
inline scan::PixPtr PatternPage(int w, int h, int depth, int dpi) {
  scan::PixPtr pix(pixCreate(w, h, depth));
  std::mt19937 rng(static_cast<unsigned>(w * 7919 + h));
  const l_uint32 max = depth == 32 ? 0xffffff00u : (1u << depth) - 1;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const l_uint32 v =
          depth == 32 ? (rng() & 0xffffff00u) : rng() % (max + 1);
      pixSetPixel(pix.get(), x, y, v);
    }
  }
  pixSetResolution(pix.get(), dpi, dpi);
  return pix;
}

inline std::string Encoded(Pix* page, scan::ImageFormat format) {
  Result<std::string> bytes = scan::EncodeImage(page, format);
  return bytes.ok() ? *bytes : std::string();
}

inline std::string EncodedDocument(int pages, int w, int h, int depth,
                                   scan::ImageFormat format, int dpi) {
  scan::Pages all;
  for (int i = 0; i < pages; ++i) {
    all.push_back(PatternPage(w, h, depth, dpi));
  }
  Result<std::string> bytes = scan::EncodeDocument(all, format);
  return bytes.ok() ? *bytes : std::string();
}

// ---- PNG chunks by hand ----

inline std::uint32_t Crc32(const std::string& data) {
  std::uint32_t crc = 0xffffffffu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  return ~crc;
}

inline std::string BigEndian(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
          static_cast<char>(v >> 8), static_cast<char>(v)};
}

inline std::string PngChunk(const std::string& type, const std::string& data) {
  return BigEndian(static_cast<std::uint32_t>(data.size())) + type + data +
         BigEndian(Crc32(type + data));
}

const char kPngSignature[] = "\x89PNG\r\n\x1a\n";

// A PNG whose header claims `w` x `h` 8-bit grey pixels, with a few bytes
// of image data.
inline std::string PngClaiming(std::uint32_t w, std::uint32_t h) {
  const std::string ihdr =
      BigEndian(w) + BigEndian(h) + std::string("\x08\x00\x00\x00\x00", 5);
  return std::string(kPngSignature, 8) + PngChunk("IHDR", ihdr) +
         PngChunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) +
         PngChunk("IEND", "");
}

// A valid PNG with a chunk of `type` and `size` bytes right after IHDR.
inline std::string PngWithChunk(const std::string& type, std::size_t size) {
  const std::string png =
      Encoded(PatternPage(64, 64, 8, 300).get(), scan::ImageFormat::kPng);
  const std::size_t after_ihdr = 8 + 12 + 13;
  std::string data(size, '\0');
  data.replace(0, 5, "Text\0", 5);
  return png.substr(0, after_ihdr) + PngChunk(type, data) +
         png.substr(after_ihdr);
}

// ---- TIFF by hand: one IFD, G4, claiming w x h at 1 bpp ----

inline std::string Le16(std::uint16_t v) {
  return {static_cast<char>(v), static_cast<char>(v >> 8)};
}
inline std::string Le32(std::uint32_t v) {
  return Le16(static_cast<std::uint16_t>(v)) +
         Le16(static_cast<std::uint16_t>(v >> 16));
}

// With `loop`, the directory names itself as the next page.
inline std::string TiffClaiming(std::uint32_t w, std::uint32_t h,
                                bool loop = false) {
  struct Entry {
    std::uint16_t tag, type;
    std::uint32_t value;
  };
  const std::uint32_t data_at = 8;
  const std::string data(16, '\0');
  const std::vector<Entry> entries = {
      {256, 4, w},       {257, 4, h}, {258, 3, 1}, {259, 3, 4}, {262, 3, 0},
      {273, 4, data_at}, {277, 3, 1}, {278, 4, h}, {279, 4, 16}};
  std::string ifd = Le16(static_cast<std::uint16_t>(entries.size()));
  for (const Entry& e : entries) {
    ifd += Le16(e.tag) + Le16(e.type) + Le32(1) +
           (e.type == 3 ? Le16(static_cast<std::uint16_t>(e.value)) + Le16(0)
                        : Le32(e.value));
  }
  ifd += Le32(loop ? data_at + 16 : 0);
  return std::string("II*\0", 4) + Le32(data_at + 16) + data + ifd;
}

// ---- PDFs through qpdf ----

// A scanner's image-only PDF: `pages` A4 pages at 50 dpi.
inline std::string ScannerPdf(int pages = 1) {
  return EncodedDocument(pages, 413, 585, 8, scan::ImageFormat::kPdf, 50);
}

// `pdf` opened with qpdf, changed by `edit`, written again (optionally
// encrypted with `user_password`, AES-256).
inline std::string EditedPdf(const std::string& pdf,
                             const std::function<void(QPDF&)>& edit,
                             const char* user_password = nullptr) {
  QPDF doc;
  doc.setSuppressWarnings(true);
  doc.processMemoryFile("test", pdf.data(), pdf.size());
  edit(doc);
  QPDFWriter writer(doc);
  writer.setOutputMemory();
  writer.setStaticID(true);
  if (user_password) {
    writer.setR6EncryptionParameters(user_password, "eigentuemer", true, true,
                                     true, true, true, true, qpdf_r3p_full,
                                     true);
  }
  writer.write();
  std::shared_ptr<Buffer> out = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(out->getBuffer()),
                     out->getSize());
}

inline void AddToFirstPage(QPDF& doc, const std::string& key,
                           const std::string& value) {
  QPDFObjectHandle page = doc.getAllPages().at(0);
  page.replaceKey(key, QPDFObjectHandle::parse(&doc, value));
}

// `pdf` with the number after "startxref" pointing elsewhere.
inline std::string WithWrongXref(std::string pdf) {
  const std::size_t at = pdf.rfind("startxref");
  const std::size_t digits = pdf.find_first_of("0123456789", at);
  pdf[digits] = pdf[digits] == '1' ? '2' : '1';
  return pdf;
}

// The middle of `bytes` overwritten with noise, the length kept.
inline std::string Scrambled(std::string bytes, std::size_t from,
                             std::size_t to) {
  std::mt19937 rng(17);
  for (std::size_t i = from; i < to && i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>(rng() & 0xff);
  }
  return bytes;
}

// A form XObject drawing `content`, with `xobjects` as its resources.
inline QPDFObjectHandle NewForm(QPDF& doc, const std::string& content,
                                const std::string& xobjects = "<< >>") {
  QPDFObjectHandle form = doc.newStream(content);
  form.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
  form.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/Form"));
  form.getDict().replaceKey("/BBox", QPDFObjectHandle::parse("[0 0 10 10]"));
  form.getDict().replaceKey(
      "/Resources",
      QPDFObjectHandle::parse(&doc, "<< /XObject " + xobjects + " >>"));
  return form;
}

// The first page draws `x` (named /X) `times` times and nothing else.
inline void DrawOften(QPDF& doc, QPDFObjectHandle x, int times) {
  QPDFObjectHandle page = doc.getAllPages().at(0);
  std::string content;
  for (int i = 0; i < times; ++i) content += "/X Do\n";
  page.replaceKey("/Contents", doc.newStream(content));
  QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
  xobjects.replaceKey("/X", x);
  QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
  resources.replaceKey("/XObject", xobjects);
  page.replaceKey("/Resources", resources);
}

struct HostileScan {
  const char* name;  // file name as dropped; the extension may lie
  std::function<std::string()> make;
  const char* reason;  // part of the German reason it must be refused with
};

inline void PrintTo(const HostileScan& input, std::ostream* os) {
  *os << input.name;
}

inline std::vector<HostileScan> HostileScans() {
  using scan::ImageFormat;
  auto png = [] {
    return Encoded(PatternPage(300, 400, 8, 300).get(), ImageFormat::kPng);
  };
  auto jpeg = [] {
    return Encoded(PatternPage(300, 400, 8, 300).get(), ImageFormat::kJpeg);
  };
  auto tiff = [] {
    return EncodedDocument(2, 300, 400, 8, ImageFormat::kTiffLzw, 300);
  };
  return {
      {"leer.png", [] { return std::string(); }, "ist leer (0 Byte)"},
      {"ein-byte.tif", [] { return std::string("I"); }, "weder ein Antrag"},
      {"text-als.png",
       [] { return std::string("Dies ist kein Bild, nur Text.\n"); },
       "weder ein Antrag"},
      {"abgeschnitten.png",
       [=] {
         auto b = png();
         return b.substr(0, b.size() / 2);
       },
       "(PNG-Bild) ist beschädigt oder unvollständig"},
      {"abgeschnitten.tif",
       [=] {
         auto b = tiff();
         return b.substr(0, b.size() / 2);
       },
       "(TIFF-Bild) ist beschädigt oder unvollständig"},
      {"abgeschnitten.jpg",
       [=] {
         auto b = jpeg();
         return b.substr(0, b.size() * 3 / 5);
       },
       "(JPEG-Bild) ist beschädigt oder unvollständig"},
      {"abgeschnitten.pnm",
       [] {
         auto b =
             Encoded(PatternPage(300, 400, 8, 300).get(), ImageFormat::kPnm);
         return b.substr(0, b.size() / 2);
       },
       "(PNM-Bild) ist beschädigt oder unvollständig"},
      {"bombe.pnm",
       [] { return std::string("P4\n60000 60000\n") + "\xff\xff"; },
       "60000 × 60000 Pixel"},
      {"kaputte-daten.png",
       [=] {
         auto b = png();  // the first IDAT chunk's data, its CRC kept
         const std::size_t at = b.find("IDAT");
         const std::size_t length =
             (std::size_t(static_cast<unsigned char>(b[at - 2])) << 8) |
             static_cast<unsigned char>(b[at - 1]);
         return Scrambled(b, at + 8, at + 4 + length);
       },
       "Seite 1 der Datei (PNG-Bild) ist beschädigt"},
      {"kaputte-daten-seite-3.tif",
       [=] {
         return WithPageDataCut(
             EncodedDocument(5, 300, 400, 8, ImageFormat::kTiffLzw, 300), 2);
       },
       "Seite 3 der Datei (TIFF-Bild) ist beschädigt"},
      {"kaputte-daten.jpg",
       [=] {
         auto b = jpeg();
         return Scrambled(b, b.size() / 3, b.size() - 2);
       },
       "Seite 1 der Datei (JPEG-Bild) ist beschädigt"},
      {"tausend-durchgaenge.jpg",
       [=] {
         // A thousand (empty) scans before the end marker: a progressive
         // JPEG's refinements, each a pass over the whole image.
         std::string b = jpeg();
         std::string scans;
         for (int i = 0; i < 1000; ++i) scans += "\xFF\xDA";
         return b.insert(b.size() - 2, scans);
       },
       "Durchgängen"},
      {"bombe.png", [] { return PngClaiming(100000, 100000); },
       "100000 × 100000 Pixel"},
      {"bombe.tif", [] { return TiffClaiming(20000, 20000); },
       "20000 × 20000 Pixel"},
      {"schleife.tif", [] { return TiffClaiming(16, 16, true); },
       "(TIFF-Bild) ist beschädigt oder unvollständig"},
      {"zu-viele-seiten.tif",
       [] { return EncodedDocument(51, 16, 16, 1, ImageFormat::kTiffG4, 200); },
       "mehr als 50 Seiten"},
      {"riesiger-ztxt.png", [] { return PngWithChunk("zTXt", 2u << 20); },
       "Zusatzblock 'zTXt'"},
      {"riesiger-iccp.png", [] { return PngWithChunk("iCCP", 3u << 20); },
       "Zusatzblock 'iCCP'"},
      {"falsche-xref.pdf", [] { return WithWrongXref(ScannerPdf()); },
       "(PDF-Datei) ist beschädigt"},
      {"abgeschnitten.pdf",
       [] {
         auto b = ScannerPdf();
         return b.substr(0, b.size() / 2);
       },
       "(PDF-Datei) ist beschädigt"},
      {"verschluesselt.pdf",
       [] {
         return EditedPdf(
             ScannerPdf(), [](QPDF&) {}, "geheim");
       },
       "verschlüsselte PDF-Datei"},
      {"verschluesselt-ohne-kennwort.pdf",
       [] {
         return EditedPdf(
             ScannerPdf(), [](QPDF&) {}, "");
       },
       "verschlüsselte PDF-Datei"},
      {"javascript-beim-oeffnen.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           doc.getRoot().replaceKey(
               "/OpenAction",
               QPDFObjectHandle::parse(
                   "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"));
         });
       },
       "JavaScript beim Öffnen"},
      {"javascript-namensbaum.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           doc.getRoot().replaceKey(
               "/Names", QPDFObjectHandle::parse(
                             "<< /JavaScript << /Names [(a) << /S /JavaScript "
                             "/JS (app.alert\\(1\\)) >>] >> >>"));
         });
       },
       "(JavaScript)"},
      {"programmstart.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           AddToFirstPage(doc, "/Annots",
                          "[<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
                          "/A << /S /Launch /F (calc.exe) >> >>]");
         });
       },
       "Start eines Programms auf Seite 1"},
      {"eingebettete-datei.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           doc.getRoot().replaceKey(
               "/Names",
               QPDFObjectHandle::parse("<< /EmbeddedFiles << /Names [] >> >>"));
         });
       },
       "eingebettete Dateien"},
      {"fuenf-meter.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           AddToFirstPage(doc, "/MediaBox", "[0 0 14173.23 14173.23]");
         });
       },
       "5000 × 5000 mm"},
      {"inhaltsbombe.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle content = doc.newStream(std::string(8u << 20, ' '));
           QPDFObjectHandle page = doc.getAllPages().at(0);
           page.replaceKey("/Contents", QPDFObjectHandle::newArray({content}));
         });
       },
       "Seitenbeschreibung"},
      {"form-tausendfach.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           std::string lines;
           for (int i = 0; i < 200; ++i) lines += "0 0 m 9 9 l S\n";
           DrawOften(doc, NewForm(doc, lines), 20000);
         });
       },
       "zu oft oder zu tief"},
      {"bild-hundertfach.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle image = doc.newStream(std::string(16, '\0'));
           image.getDict().replaceKey("/Type",
                                      QPDFObjectHandle::newName("/XObject"));
           image.getDict().replaceKey("/Subtype",
                                      QPDFObjectHandle::newName("/Image"));
           for (const char* key : {"/Width", "/Height"}) {
             image.getDict().replaceKey(key,
                                        QPDFObjectHandle::newInteger(5000));
           }
           image.getDict().replaceKey("/ColorSpace",
                                      QPDFObjectHandle::newName("/DeviceGray"));
           image.getDict().replaceKey("/BitsPerComponent",
                                      QPDFObjectHandle::newInteger(8));
           DrawOften(doc, image, 100);
         });
       },
       "zu oft oder zu tief"},
      {"form-schleife.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle form = NewForm(doc, "/X Do\n");
           QPDFObjectHandle self = QPDFObjectHandle::newDictionary();
           self.replaceKey("/X", form);
           form.getDict().getKey("/Resources").replaceKey("/XObject", self);
           DrawOften(doc, form, 1);
         });
       },
       "zu oft oder zu tief"},
      {"kachelmuster.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle cell = doc.newStream("0 0 0.01 0.01 re f\n");
           cell.getDict().replaceKey("/PatternType",
                                     QPDFObjectHandle::newInteger(1));
           for (const char* key : {"/PaintType", "/TilingType"}) {
             cell.getDict().replaceKey(key, QPDFObjectHandle::newInteger(1));
           }
           cell.getDict().replaceKey(
               "/BBox", QPDFObjectHandle::parse("[0 0 0.01 0.01]"));
           for (const char* key : {"/XStep", "/YStep"}) {
             cell.getDict().replaceKey(key, QPDFObjectHandle::newReal(0.01, 2));
           }
           cell.getDict().replaceKey("/Resources",
                                     QPDFObjectHandle::newDictionary());
           QPDFObjectHandle page = doc.getAllPages().at(0);
           page.replaceKey("/Contents", doc.newStream("/Pattern cs /P scn "
                                                      "0 0 595 842 re f\n"));
           QPDFObjectHandle patterns = QPDFObjectHandle::newDictionary();
           patterns.replaceKey("/P", cell);
           QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
           resources.replaceKey("/Pattern", patterns);
           page.replaceKey("/Resources", resources);
         });
       },
       "zu oft oder zu tief"},
      {"schattierung.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle page = doc.getAllPages().at(0);
           page.replaceKey("/Contents", doc.newStream("/Sh sh\n"));
           QPDFObjectHandle shadings = QPDFObjectHandle::newDictionary();
           shadings.replaceKey(
               "/Sh", QPDFObjectHandle::parse(
                          "<< /ShadingType 2 /ColorSpace /DeviceGray "
                          "/Coords [0 0 595 0] /Function << /FunctionType 2 "
                          "/Domain [0 1] /C0 [0] /C1 [1] /N 1 >> >>"));
           QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
           resources.replaceKey("/Shading", shadings);
           page.replaceKey("/Resources", resources);
         });
       },
       "zu oft oder zu tief"},
      {"type3-schrift.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle glyph = doc.newStream("0 0 1 1 re f\n");
           QPDFObjectHandle font = QPDFObjectHandle::parse(
               "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] "
               "/FontMatrix [1 0 0 1 0 0] /Encoding << /Differences [65 /g] "
               ">> /FirstChar 65 /LastChar 65 /Widths [1] >>");
           QPDFObjectHandle procs = QPDFObjectHandle::newDictionary();
           procs.replaceKey("/g", glyph);
           font.replaceKey("/CharProcs", procs);
           QPDFObjectHandle page = doc.getAllPages().at(0);
           page.replaceKey("/Contents",
                           doc.newStream("BT /F1 1 Tf (AAAA) Tj ET\n"));
           QPDFObjectHandle fonts = QPDFObjectHandle::newDictionary();
           fonts.replaceKey("/F1", font);
           QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
           resources.replaceKey("/Font", fonts);
           page.replaceKey("/Resources", resources);
         });
       },
       "zu oft oder zu tief"},
      {"anmerkung-bombe.pdf",
       [] {
         return EditedPdf(ScannerPdf(), [](QPDF& doc) {
           QPDFObjectHandle appearance =
               NewForm(doc, std::string(8u << 20, ' '));
           QPDFObjectHandle annot = QPDFObjectHandle::parse(
               "<< /Type /Annot /Subtype /Square /Rect [0 0 10 10] >>");
           QPDFObjectHandle ap = QPDFObjectHandle::newDictionary();
           ap.replaceKey("/N", appearance);
           annot.replaceKey("/AP", ap);
           QPDFObjectHandle page = doc.getAllPages().at(0);
           page.replaceKey("/Annots", QPDFObjectHandle::newArray({annot}));
         });
       },
       "Seitenbeschreibung"},
  };
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_HOSTILE_SCAN_FILES_H_
