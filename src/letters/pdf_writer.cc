#include "letters/pdf_writer.h"

#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_pages.h>
#include <hpdf_utils.h>
#include <libdeflate.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
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
// PDFDocEncoding lacks become '?' in both, as do bytes that are not UTF-8.
struct MetaText {
  std::string pdfdoc;
  std::string utf8;
};

MetaText ToMetaText(const std::string& utf8) {
  MetaText m;
  for (size_t i = 0; i < utf8.size();) {
    unsigned cp = NextCodePoint(utf8, &i);
    if (cp == kInvalidCodePoint) cp = '?';
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

struct StreamDeleter {
  void operator()(HPDF_Stream s) const { HPDF_Stream_Free(s); }
};
using StreamPtr =
    std::unique_ptr<std::remove_pointer_t<HPDF_Stream>, StreamDeleter>;

struct FontDefDeleter {
  void operator()(HPDF_FontDef d) const { HPDF_FontDef_Free(d); }
};
using FontDefPtr =
    std::unique_ptr<std::remove_pointer_t<HPDF_FontDef>, FontDefDeleter>;

// The bytes of libharu memory stream `s`, copied from its buffers (its
// read function copies byte by byte); "" when it has none or is not a
// memory stream.
std::string StreamBytes(HPDF_Stream s) {
  std::string out;
  out.reserve(HPDF_Stream_Size(s));
  const HPDF_UINT n = HPDF_MemStream_GetBufCount(s);
  for (HPDF_UINT i = 0; i < n; ++i) {
    HPDF_UINT length = 0;
    const HPDF_BYTE* buf = HPDF_MemStream_GetBufPtr(s, i, &length);
    if (buf == nullptr) return "";
    out.append(reinterpret_cast<const char*>(buf), length);
  }
  return out;
}

// Dictionary write hook of a stream whose data is already compressed:
// libharu writes the data as is (filter NONE) and this names the filter.
HPDF_STATUS WriteFlateFilter(HPDF_Dict, HPDF_Stream stream) {
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

// Dictionary write hook of a CID font (AddCidWidths): writes its /W entry,
// whose text (GlyphSetFont::w) is the dictionary's attr, after the others.
HPDF_STATUS WriteCidWidths(HPDF_Dict dict, HPDF_Stream stream) {
  const auto* w = static_cast<const std::string*>(dict->attr);
  HPDF_STATUS ret = HPDF_Stream_WriteStr(stream, "/W ");
  if (ret == HPDF_OK) {
    ret =
        HPDF_Stream_Write(stream, reinterpret_cast<const HPDF_BYTE*>(w->data()),
                          static_cast<HPDF_UINT>(w->size()));
  }
  return ret == HPDF_OK ? HPDF_Stream_WriteStr(stream, "\012") : ret;
}

// A read-only libharu stream over bytes that outlive the document it is
// part of: saving copies them once, into the document, where a memory
// stream of libharu's would copy them in and out again byte by byte.
struct Borrowed {
  const HPDF_BYTE* data;
  HPDF_UINT size;
  HPDF_UINT pos;
};

HPDF_STATUS BorrowedRead(HPDF_Stream stream, HPDF_BYTE* buf, HPDF_UINT* size) {
  auto* b = static_cast<Borrowed*>(stream->attr);
  const HPDF_UINT n = std::min(*size, b->size - b->pos);
  if (n > 0) std::memcpy(buf, b->data + b->pos, n);
  b->pos += n;
  const bool end = n < *size;
  *size = n;
  return end ? HPDF_STREAM_EOF : HPDF_OK;
}

HPDF_STATUS BorrowedSeek(HPDF_Stream stream, HPDF_INT pos,
                         HPDF_WhenceMode mode) {
  auto* b = static_cast<Borrowed*>(stream->attr);
  const int64_t base = mode == HPDF_SEEK_SET   ? 0
                       : mode == HPDF_SEEK_CUR ? b->pos
                                               : b->size;
  const int64_t to = base + pos;
  if (to < 0 || to > b->size) {
    return HPDF_SetError(stream->error, HPDF_STREAM_EOF, 0);
  }
  b->pos = static_cast<HPDF_UINT>(to);
  return HPDF_OK;
}

HPDF_INT32 BorrowedTell(HPDF_Stream stream) {
  return static_cast<HPDF_INT32>(static_cast<Borrowed*>(stream->attr)->pos);
}

HPDF_UINT32 BorrowedSize(HPDF_Stream stream) {
  return static_cast<Borrowed*>(stream->attr)->size;
}

void BorrowedFree(HPDF_Stream stream) {
  HPDF_FreeMem(stream->mmgr, stream->attr);
}

// Makes `deflated` the data of stream object `dict`, written as is with
// /Filter /FlateDecode; `deflated` must stay unchanged until the document
// is saved. False (`dict` unchanged) when libharu cannot allocate.
bool SetDeflatedData(HPDF_Dict dict, std::string_view deflated) {
  HPDF_MMgr mmgr = dict->mmgr;
  auto* stream =
      static_cast<HPDF_Stream>(HPDF_GetMem(mmgr, sizeof(HPDF_Stream_Rec)));
  auto* b = static_cast<Borrowed*>(HPDF_GetMem(mmgr, sizeof(Borrowed)));
  if (stream == nullptr || b == nullptr) {
    if (stream != nullptr) HPDF_FreeMem(mmgr, stream);
    return false;
  }
  *b = Borrowed{reinterpret_cast<const HPDF_BYTE*>(deflated.data()),
                static_cast<HPDF_UINT>(deflated.size()), 0};
  std::memset(stream, 0, sizeof(HPDF_Stream_Rec));
  stream->sig_bytes = HPDF_STREAM_SIG_BYTES;
  stream->type = HPDF_STREAM_CALLBACK;
  stream->mmgr = mmgr;
  stream->error = mmgr->error;
  stream->read_fn = BorrowedRead;
  stream->seek_fn = BorrowedSeek;
  stream->tell_fn = BorrowedTell;
  stream->size_fn = BorrowedSize;
  stream->free_fn = BorrowedFree;
  stream->attr = b;
  HPDF_Stream_Free(dict->stream);
  dict->stream = stream;
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = WriteFlateFilter;
  return true;
}

// A new stream object of `pdf` holding `deflated` (as SetDeflatedData), or
// nullptr (libharu's error is set).
HPDF_Dict DeflatedStream(HPDF_Doc pdf, std::string_view deflated) {
  HPDF_Dict dict = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (dict == nullptr) return nullptr;
  if (!SetDeflatedData(dict, deflated)) {
    HPDF_SetError(&pdf->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    return nullptr;
  }
  return dict;
}

// Write function of the stream a document is saved through: appends to
// the std::string that is its `attr`. libharu's own memory stream copies
// byte by byte.
HPDF_STATUS AppendToString(HPDF_Stream stream, const HPDF_BYTE* ptr,
                           HPDF_UINT size) {
  try {
    static_cast<std::string*>(stream->attr)
        ->append(reinterpret_cast<const char*>(ptr), size);
  } catch (const std::bad_alloc&) {
    return HPDF_FAILD_TO_ALLOC_MEM;
  }
  return HPDF_OK;
}

// A zlib-format (FlateDecode) compressor at a fixed level: libdeflate
// compresses a letter's page contents in about half zlib's time, and
// smaller. A writer keeps the one for its page contents, so that its state
// is allocated once and stays warm over a long run. Not thread-safe.
class Deflater {
 public:
  // `level`: libdeflate's 1 (fastest) to 12 (smallest).
  explicit Deflater(int level) : c_(libdeflate_alloc_compressor(level)) {}
  ~Deflater() { libdeflate_free_compressor(c_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // `data` compressed into `out` (replaced); false when the compressor
  // could not be made or memory runs out.
  bool Deflate(std::string_view data, std::string* out) {
    if (c_ == nullptr) return false;
    out->resize(libdeflate_zlib_compress_bound(c_, data.size()));
    const size_t n = libdeflate_zlib_compress(c_, data.data(), data.size(),
                                              out->data(), out->size());
    out->resize(n);
    return n != 0;
  }
  // `data` compressed, or "" on failure.
  std::string Deflate(std::string_view data) {
    std::string out;
    if (!Deflate(data, &out)) out.clear();
    return out;
  }

 private:
  libdeflate_compressor* c_;
};

// Levels: the page contents are compressed for every letter, the parts of a
// glyph set and the ICC profile once for many letters (by a compressor made
// for the occasion: kept, its larger state would cost every writer about
// half a megabyte).
constexpr int kPageLevel = 1;
constexpr int kOnceLevel = 9;

// Makes `content` the contents of `page`, compressed by `deflater` into
// `kept`, which must stay unchanged until the document is saved
// (SetDeflatedData). False when compressing or libharu fails.
bool SetPageContent(HPDF_Page page, std::string_view content,
                    Deflater& deflater, std::string* kept) {
  auto* attr = static_cast<HPDF_PageAttr>(page->attr);
  return deflater.Deflate(content, kept) &&
         SetDeflatedData(attr->contents, *kept);
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
// made into the parts of libharu's Type0 / CIDFontType2 font once, so that
// each document only assembles them (PdfWriter::Impl::AddFont). Letters
// with the same glyph set share it. The values are the ones libharu 2.3
// computes for the cut (CIDFontType2_New, CIDFontType2_BeforeWrite_Func):
// libharu would compute them again for every document, looking up all
// 65,536 code points of its UTF-8 encoder and compressing a 128 KB
// CIDToGIDMap per font.
struct GlyphSetFont {
  std::u32string key;     // style marker + the code points, ascending
  std::string base_font;  // "ABCDEF+DejaVuSans", as libharu names the cut
  HPDF_INT16 ascent = 0;  // the font descriptor's metrics
  HPDF_INT16 descent = 0;
  HPDF_UINT flags = 0;
  HPDF_Box bbox{};
  HPDF_INT16 italic_angle = 0;
  HPDF_UINT16 stemv = 0;
  HPDF_UINT16 x_height = 0;
  HPDF_INT16 missing_width = 0;  // /DW and the width of unmapped codes
  // Width by code point (1/1000 em, as libharu measures text), up to the
  // last code point of the set.
  std::vector<HPDF_INT16> widths;
  // The /W array as libharu writes it (runs of consecutive code points
  // whose width is not /DW), written as is into each document: as libharu
  // objects it took hundreds of allocations a letter.
  std::string w;
  std::string cid_to_gid;   // compressed: the CIDToGIDMap stream's data
  std::string font_file;    // compressed: the FontFile2 stream's data
  HPDF_UINT32 length1 = 0;  // its uncompressed length
  std::string to_unicode;   // compressed: its ToUnicode CMap program
  std::string cid_set;      // compressed: the descriptor's /CIDSet bits
};

// What a font of a document made by AddFont carries for libharu (which
// only knows the HPDF_FontAttr_Rec at its start): the glyph set's widths.
struct LetterFontAttr {
  HPDF_FontAttr_Rec base;
  const GlyphSetFont* glyphs;
};

void FreeLetterFontAttr(HPDF_Dict font) {
  if (font->attr != nullptr) HPDF_FreeMem(font->mmgr, font->attr);
  font->attr = nullptr;
}

// Text width for libharu (HPDF_Page_ShowText skips text of width 0), as
// libharu's Type0 TrueType fonts measure it: by code point, the missing
// width for code points without a glyph.
HPDF_TextWidth LetterTextWidth(HPDF_Font font, const HPDF_BYTE* text,
                               HPDF_UINT len) {
  const GlyphSetFont& g =
      *static_cast<const LetterFontAttr*>(font->attr)->glyphs;
  HPDF_TextWidth tw{0, 0, 0, 0};
  const std::string_view s(reinterpret_cast<const char*>(text), len);
  char32_t last = 0;
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = NextCodePoint(s, &i);
    const bool white = cp == 0x00 || cp == 0x09 || cp == 0x0A || cp == 0x0C ||
                       cp == 0x0D || cp == 0x20;
    tw.width += static_cast<HPDF_UINT>(cp < g.widths.size() ? g.widths[cp]
                                                            : g.missing_width);
    ++tw.numchars;
    if (white) {
      ++tw.numwords;
      ++tw.numspace;
    }
    last = cp;
  }
  if (!(last == 0x00 || last == 0x09 || last == 0x0A || last == 0x0C ||
        last == 0x0D || last == 0x20)) {
    ++tw.numwords;
  }
  return tw;
}

// Not used by the writer (it breaks lines itself); defined so that no
// libharu function calls through a null pointer.
HPDF_UINT LetterMeasureText(HPDF_Font, const HPDF_BYTE*, HPDF_UINT, HPDF_REAL,
                            HPDF_REAL, HPDF_REAL, HPDF_REAL, HPDF_BOOL,
                            HPDF_REAL* real_width) {
  if (real_width != nullptr) *real_width = 0;
  return 0;
}

// How many glyph-set fonts of a source font stay cached. Letters of one
// kind share one set; names with rarer letters add one each.
constexpr size_t kCachedGlyphSets = 32;

// Glyph sets made by this process (MakeGlyphSet calls), for GlyphSetsMade.
std::atomic<uint64_t> glyph_sets_made{0};

// A source font with the glyph-set fonts made from it, shared by all the
// writers of the process made from the same file (FontRegistry): a process
// with many writers (`bescheid process` has eight per worker) loads each
// font and makes each glyph set once. `source` does not change once
// loaded; the cache is guarded by `mu`. Thread-safe.
struct SharedFont {
  SourceFont source;

  // The cached set of `key` (GlyphSetFont::key), or nullptr.
  std::shared_ptr<const GlyphSetFont> Find(const std::u32string& key) {
    std::lock_guard<std::mutex> lock(mu);
    ++uses;
    for (Cached& c : sets) {
      if (c.set->key == key) {
        c.last_used = uses;
        return c.set;
      }
    }
    return nullptr;
  }
  // Caches `made` (dropping the set used longest ago when full), unless
  // another writer cached its key meanwhile: returns the set cached.
  std::shared_ptr<const GlyphSetFont> Add(
      std::shared_ptr<const GlyphSetFont> made) {
    std::lock_guard<std::mutex> lock(mu);
    for (const Cached& c : sets) {
      if (c.set->key == made->key) return c.set;
    }
    if (sets.size() >= kCachedGlyphSets) {
      sets.erase(std::min_element(sets.begin(), sets.end(),
                                  [](const Cached& x, const Cached& y) {
                                    return x.last_used < y.last_used;
                                  }));
    }
    sets.push_back({made, uses});
    return made;
  }

 private:
  struct Cached {
    std::shared_ptr<const GlyphSetFont> set;
    uint64_t last_used;  // `uses` when last found
  };
  std::mutex mu;
  uint64_t uses = 0;  // Find calls: the clock of last_used
  std::vector<Cached> sets;
};

// The process's SharedFonts by file identity (FileIdentity): a font file
// changed on disk is loaded afresh. A font lives as long as a writer uses
// it. Thread-safe.
class FontRegistry {
 public:
  // Never destroyed: writers may outlive static destruction.
  static FontRegistry& Instance() {
    static auto* registry = new FontRegistry;
    return *registry;
  }
  // The font registered under `identity`, or nullptr.
  std::shared_ptr<SharedFont> Find(const std::string& identity) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = fonts_.find(identity);
    return it == fonts_.end() ? nullptr : it->second.lock();
  }
  // Registers `font` under `identity` unless another writer registered a
  // font there meanwhile: returns the font registered.
  std::shared_ptr<SharedFont> Add(const std::string& identity,
                                  std::shared_ptr<SharedFont> font) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = fonts_.begin(); it != fonts_.end();) {
      it = it->second.expired() ? fonts_.erase(it) : std::next(it);
    }
    std::weak_ptr<SharedFont>& entry = fonts_[identity];
    if (std::shared_ptr<SharedFont> there = entry.lock()) return there;
    entry = font;
    return font;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::weak_ptr<SharedFont>> fonts_;
};

// What tells a font file from another and from its earlier contents: path,
// device, inode, size and modification time; "" when it cannot be asked
// (the file is then loaded for the writer alone, or refused).
std::string FileIdentity(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return path + '\n' + std::to_string(st.st_dev) + ':' +
         std::to_string(st.st_ino) + ':' + std::to_string(st.st_size) + ':' +
         std::to_string(st.st_mtim.tv_sec) + '.' +
         std::to_string(st.st_mtim.tv_nsec);
}

// A letter's glyph set is rounded up to whole blocks of this many code
// points (those the font has): letters that differ in a name's letters
// mostly share a set and so its font, made once, instead of each cutting,
// parsing and compressing a font of its own (a third of a varied letter's
// instructions). The price is a few glyphs more in each letter.
constexpr char32_t kGlyphBlock = 16;

struct PdfWriter::Impl {
  ErrorState error;
  // Shared with the process's other writers of the same files; hand:
  // nullptr when not given.
  std::shared_ptr<SharedFont> regular, bold, hand;
  // The glyph sets of the current document, whose fonts point to them
  // (declared before the document, which goes first).
  std::shared_ptr<const GlyphSetFont> in_use[3];
  DocPtr doc;
  std::string icc;  // compressed: the output intent's ICC profile
  // By code point: in the repertoire and in both fonts (CanPrint), asked
  // for every character of every letter twice.
  std::vector<bool> printable;
  Deflater deflater{kPageLevel};  // the pages' contents
  std::string content;            // a page's content stream before it, reused
  size_t last_size = 0;           // of the last document saved
  // Its output, a string per page of the current document, reused.
  std::vector<std::string> deflated;

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

  // The font of `path`, shared with other writers (FontRegistry) or loaded.
  Result<std::shared_ptr<SharedFont>> Font(const std::string& path);
  Status LoadSource(const std::string& path, SourceFont* out);
  // The source font of style k (StyleIndex); an empty one for a hand font
  // not given.
  const SourceFont& Source(int k) const {
    static const SourceFont kNone;
    const SharedFont* f = k == 1   ? bold.get()
                          : k == 2 ? hand.get()
                                   : regular.get();
    return f != nullptr ? f->source : kNone;
  }
  Result<std::unique_ptr<GlyphSetFont>> MakeGlyphSet(
      const SourceFont& source, char style,
      const std::vector<char32_t>& code_points);
  Result<std::shared_ptr<const GlyphSetFont>> GlyphSet(
      SharedFont& font, char style, const std::vector<char32_t>& code_points);
  Result<HPDF_Font> AddFont(const GlyphSetFont& g);
  Result<HPDF_Font> NewLetterFont(const GlyphSetFont& g);
  Status AddCidFont(const GlyphSetFont& g, HPDF_Array descendants);
  Status AddCidWidths(const GlyphSetFont& g, HPDF_Dict cid_font);
  Status AddFontDescriptor(const GlyphSetFont& g, HPDF_Dict cid_font);

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
    HPDF_Dict profile = DeflatedStream(pdf, icc);
    if (profile == nullptr) return Fail("ICC stream");
    HPDF_Dict_AddNumber(profile, "N", 3);
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
  if (!MakeGlyphSet(*out, 'p', probe).ok()) {
    return ConfigError("Schriftart '" + path +
                       "' kann nicht geladen werden (TrueType erwartet).");
  }
  return Status::Ok();
}

// The /CIDSet of a subset font (PDF/A-1, ISO 19005-1 6.3.5): one bit per
// CID, most significant bit first, set for CID 0 and for every CID (here the
// code point) that `gids` maps to a glyph of the cut.
std::string CidSet(const std::vector<HPDF_UINT16>& gids) {
  std::string bits((gids.size() + 7) / 8, '\0');
  bits[0] = static_cast<char>(0x80);
  for (size_t cid = 1; cid < gids.size(); ++cid) {
    if (gids[cid] == 0) continue;
    bits[cid / 8] = static_cast<char>(bits[cid / 8] | (0x80 >> (cid % 8)));
  }
  return bits;
}

// Cuts `source` to `code_points` and makes the parts of its PDF font.
Result<std::unique_ptr<GlyphSetFont>> PdfWriter::Impl::MakeGlyphSet(
    const SourceFont& source, char style,
    const std::vector<char32_t>& code_points) {
  glyph_sets_made.fetch_add(1, std::memory_order_relaxed);
  auto g = std::make_unique<GlyphSetFont>();
  g->key.assign(1, static_cast<char32_t>(style));
  g->key.append(code_points.begin(), code_points.end());
  std::vector<CodePointRange> keep;
  for (char32_t cp : code_points) keep.push_back({cp, cp});
  Result<FontSubset> cut = SubsetFont(source.ttf, keep, source.path);
  if (!cut.ok()) return cut.status();

  // libharu parses the cut from a memory stream that the font definition
  // owns from HPDF_TTFontDef_Load on (which frees it on failure).
  HPDF_MMgr mmgr = doc->mmgr;
  StreamPtr stream(HPDF_MemStream_New(mmgr, HPDF_STREAM_BUF_SIZ));
  if (!stream) return Fail("font stream");
  if (HPDF_Stream_Write(stream.get(),
                        reinterpret_cast<const HPDF_BYTE*>(cut->ttf.data()),
                        static_cast<HPDF_UINT>(cut->ttf.size())) != HPDF_OK) {
    return Fail("font stream");
  }
  FontDefPtr def(HPDF_TTFontDef_Load(mmgr, stream.release(), HPDF_TRUE));
  if (!def) return Fail("loading font " + source.path);
  std::string tag = SubsetTag(g->key);
  HPDF_TTFontDef_SetTagName(def.get(), tag.data());
  const auto* attr = static_cast<HPDF_TTFontDefAttr>(def->attr);
  g->base_font = attr->base_font;
  g->ascent = def->ascent;
  g->descent = def->descent;
  g->flags = def->flags;
  g->bbox = def->font_bbox;
  g->italic_angle = def->italic_angle;
  g->stemv = def->stemv;
  g->x_height = def->x_height;
  g->missing_width = def->missing_width;

  // Widths as libharu measures text; measuring also marks each glyph and
  // its components as used, which is what libharu embeds of the font.
  const std::vector<char32_t>& mapped = cut->code_points;
  const char32_t last = std::min<char32_t>(mapped.back(), 0xFFFF);
  g->widths.assign(last + 1, g->missing_width);
  std::vector<HPDF_UINT16> gids(last + 1, 0);
  for (char32_t cp : mapped) {
    if (cp > last) continue;
    const auto u = static_cast<HPDF_UINT16>(cp);
    g->widths[cp] = HPDF_TTFontDef_GetCharWidth(def.get(), u);
    gids[cp] = HPDF_TTFontDef_GetGlyphid(def.get(), u);
  }
  // /W as libharu writes an array ("[ ", each element and a space, "]"):
  // a run for each stretch of consecutive codes whose glyph's width is not
  // /DW (code points without a glyph have glyph 0, of width /DW).
  g->w = "[ ";
  bool in_run = false;
  for (char32_t cp = 0; cp <= last; ++cp) {
    const HPDF_INT16 w = HPDF_TTFontDef_GetGidWidth(def.get(), gids[cp]);
    if (w == g->missing_width) {
      if (in_run) g->w += "] ";
      in_run = false;
      continue;
    }
    if (!in_run) g->w += std::to_string(cp) + " [ ";
    in_run = true;
    g->w += std::to_string(w) + ' ';
  }
  if (in_run) g->w += "] ";
  g->w += ']';
  // CIDToGIDMap: code (= code point) to glyph, two bytes big-endian each.
  // libharu maps all 65,535 codes; the codes after the last code point
  // would all map to glyph 0, which is what a shorter map means.
  std::string map(2 * (last + 1), '\0');
  for (char32_t cp = 0; cp <= last; ++cp) {
    map[2 * cp] = static_cast<char>(gids[cp] >> 8);
    map[2 * cp + 1] = static_cast<char>(gids[cp] & 0xFF);
  }
  Deflater once(kOnceLevel);
  g->cid_to_gid = once.Deflate(map);
  g->cid_set = once.Deflate(CidSet(gids));

  StreamPtr font_file(HPDF_MemStream_New(mmgr, HPDF_STREAM_BUF_SIZ));
  if (!font_file) return Fail("font file");
  if (HPDF_STATUS rc = HPDF_TTFontDef_SaveFontData(def.get(), font_file.get());
      rc != HPDF_OK) {
    return Fail("writing font " + source.path, rc);
  }
  g->length1 = attr->length1;
  g->font_file = once.Deflate(StreamBytes(font_file.get()));
  g->to_unicode = once.Deflate(ToUnicodeCMap(code_points));
  if (g->cid_to_gid.empty() || g->font_file.empty() || g->to_unicode.empty() ||
      g->cid_set.empty()) {
    return Fail("compressing font " + source.path);
  }
  return g;
}

Result<std::shared_ptr<SharedFont>> PdfWriter::Impl::Font(
    const std::string& path) {
  const std::string identity = FileIdentity(path);
  if (!identity.empty()) {
    if (std::shared_ptr<SharedFont> f =
            FontRegistry::Instance().Find(identity)) {
      return f;
    }
  }
  auto f = std::make_shared<SharedFont>();
  Status s = LoadSource(path, &f->source);
  if (!s.ok()) return s;
  if (identity.empty()) return f;
  return FontRegistry::Instance().Add(identity, std::move(f));
}

// The glyph set of `code_points` in `font`, made now if no letter of the
// process used it lately.
Result<std::shared_ptr<const GlyphSetFont>> PdfWriter::Impl::GlyphSet(
    SharedFont& font, char style, const std::vector<char32_t>& code_points) {
  std::u32string key(1, static_cast<char32_t>(style));
  key.append(code_points.begin(), code_points.end());
  if (std::shared_ptr<const GlyphSetFont> g = font.Find(key)) return g;
  // Made without holding the cache: another writer may make the same set
  // meanwhile, and Add keeps the first.
  Result<std::unique_ptr<GlyphSetFont>> made =
      MakeGlyphSet(font.source, style, code_points);
  if (!made.ok()) return made.status();
  return font.Add(std::move(made).value());
}

// Puts the font of glyph set `g` into the current document: the objects
// libharu's HPDF_GetFont makes for a TrueType font with the UTF-8 encoding
// (Type0 font, CIDFontType2 descendant, descriptor, embedded font file,
// CIDToGIDMap) with the glyph set's ToUnicode map, from parts made once.
// `g` must outlive the document. The objects are made in the order libharu
// makes them, so that a letter's bytes do not change.
Result<HPDF_Font> PdfWriter::Impl::AddFont(const GlyphSetFont& g) {
  Result<HPDF_Font> font = NewLetterFont(g);
  if (!font.ok()) return font;
  HPDF_Doc pdf = doc.get();
  const char* name = g.base_font.c_str();
  HPDF_STATUS ret = HPDF_OK;
  ret += HPDF_Dict_AddName(*font, "Type", "Font");
  ret += HPDF_Dict_AddName(*font, "BaseFont", name);
  ret += HPDF_Dict_AddName(*font, "Subtype", "Type0");
  ret += HPDF_Dict_AddName(*font, "Encoding", "Identity-H");
  ret += HPDF_Dict_Add(*font, "ToUnicode", DeflatedStream(pdf, g.to_unicode));
  HPDF_Array descendants = HPDF_Array_New(pdf->mmgr);
  ret += HPDF_Dict_Add(*font, "DescendantFonts", descendants);
  if (ret != HPDF_OK) return Fail("font", ret);
  if (Status s = AddCidFont(g, descendants); !s.ok()) return s;
  return font;
}

// A Type0 font dictionary in the document (its entries still to add) that
// libharu measures text with by `g`'s widths.
Result<HPDF_Font> PdfWriter::Impl::NewLetterFont(const GlyphSetFont& g) {
  HPDF_Doc pdf = doc.get();
  HPDF_MMgr mmgr = pdf->mmgr;
  HPDF_Encoder utf8 = HPDF_GetEncoder(pdf, "UTF-8");
  if (utf8 == nullptr) return Fail("UTF-8 encoder");

  HPDF_Font font = HPDF_Dict_New(mmgr);
  if (font == nullptr) return Fail("font");
  auto* attr =
      static_cast<LetterFontAttr*>(HPDF_GetMem(mmgr, sizeof(LetterFontAttr)));
  if (attr == nullptr) {
    HPDF_Dict_Free(font);
    return Fail("font");
  }
  std::memset(attr, 0, sizeof *attr);
  attr->base.type = HPDF_FONT_TYPE0_TT;
  attr->base.writing_mode = HPDF_WMODE_HORIZONTAL;
  attr->base.text_width_fn = LetterTextWidth;
  attr->base.measure_text_fn = LetterMeasureText;
  attr->base.encoder = utf8;
  attr->base.xref = pdf->xref;
  attr->glyphs = &g;
  font->header.obj_class |= HPDF_OSUBCLASS_FONT;
  font->free_fn = FreeLetterFontAttr;
  font->attr = attr;
  // From here on the document owns every object made (HPDF_Xref_Add and
  // the containers' Add free what they cannot take).
  if (HPDF_Xref_Add(pdf->xref, font) != HPDF_OK) return Fail("font");
  return font;
}

// The CIDFontType2 descendant of `g`'s font, added to `descendants`, with
// its widths and descriptor.
Status PdfWriter::Impl::AddCidFont(const GlyphSetFont& g,
                                   HPDF_Array descendants) {
  HPDF_Doc pdf = doc.get();
  HPDF_MMgr mmgr = pdf->mmgr;
  HPDF_Dict cid_font = HPDF_Dict_New(mmgr);
  if (HPDF_Xref_Add(pdf->xref, cid_font) != HPDF_OK) return Fail("CID font");
  HPDF_STATUS ret = HPDF_OK;
  ret += HPDF_Array_Add(descendants, cid_font);
  ret += HPDF_Dict_AddName(cid_font, "Type", "Font");
  ret += HPDF_Dict_AddName(cid_font, "Subtype", "CIDFontType2");
  if (ret != HPDF_OK) return Fail("CID font", ret);
  if (Status s = AddCidWidths(g, cid_font); !s.ok()) return s;
  ret +=
      HPDF_Dict_Add(cid_font, "CIDToGIDMap", DeflatedStream(pdf, g.cid_to_gid));
  HPDF_Dict system_info = HPDF_Dict_New(mmgr);
  ret += HPDF_Dict_Add(cid_font, "CIDSystemInfo", system_info);
  if (ret != HPDF_OK) return Fail("CID font", ret);
  ret += HPDF_Dict_Add(system_info, "Registry",
                       HPDF_String_New(mmgr, "Adobe", nullptr));
  ret += HPDF_Dict_Add(system_info, "Ordering",
                       HPDF_String_New(mmgr, "Identity-H", nullptr));
  ret += HPDF_Dict_AddNumber(system_info, "Supplement", 0);
  ret += HPDF_Dict_AddName(cid_font, "BaseFont", g.base_font.c_str());
  if (ret != HPDF_OK) return Fail("CID font", ret);
  return AddFontDescriptor(g, cid_font);
}

// The CID font's /DW, /DW2 and /W (the runs of widths other than /DW;
// written last, from the glyph set's text, by WriteCidWidths).
Status PdfWriter::Impl::AddCidWidths(const GlyphSetFont& g,
                                     HPDF_Dict cid_font) {
  HPDF_MMgr mmgr = doc->mmgr;
  HPDF_STATUS ret = HPDF_OK;
  ret += HPDF_Dict_AddNumber(cid_font, "DW", g.missing_width);
  HPDF_Array dw2 = HPDF_Array_New(mmgr);
  ret += HPDF_Dict_Add(cid_font, "DW2", dw2);
  if (ret != HPDF_OK) return Fail("CID font", ret);
  ret += HPDF_Array_AddNumber(dw2, static_cast<HPDF_INT32>(g.bbox.bottom));
  ret += HPDF_Array_AddNumber(
      dw2, static_cast<HPDF_INT32>(g.bbox.bottom - g.bbox.top));
  if (ret != HPDF_OK) return Fail("CID font", ret);
  // The dictionary is libharu's plain one, whose attr nothing else uses.
  cid_font->attr = const_cast<std::string*>(&g.w);
  cid_font->write_fn = WriteCidWidths;
  return Status::Ok();
}

// The font descriptor of `cid_font` with the embedded font file and its
// CIDSet.
Status PdfWriter::Impl::AddFontDescriptor(const GlyphSetFont& g,
                                          HPDF_Dict cid_font) {
  HPDF_Doc pdf = doc.get();
  HPDF_Dict descriptor = HPDF_Dict_New(pdf->mmgr);
  if (HPDF_Xref_Add(pdf->xref, descriptor) != HPDF_OK) {
    return Fail("font descriptor");
  }
  HPDF_STATUS ret = HPDF_OK;
  ret += HPDF_Dict_Add(cid_font, "FontDescriptor", descriptor);
  HPDF_Dict font_file = DeflatedStream(pdf, g.font_file);
  ret += HPDF_Dict_Add(descriptor, "FontFile2", font_file);
  if (ret != HPDF_OK) return Fail("font descriptor", ret);
  ret += HPDF_Dict_Add(descriptor, "CIDSet", DeflatedStream(pdf, g.cid_set));
  ret += HPDF_Dict_AddNumber(font_file, "Length1",
                             static_cast<HPDF_INT32>(g.length1));
  ret += HPDF_Dict_AddNumber(font_file, "Length2", 0);
  ret += HPDF_Dict_AddNumber(font_file, "Length3", 0);
  ret += HPDF_Dict_AddName(descriptor, "Type", "FontDescriptor");
  ret += HPDF_Dict_AddNumber(descriptor, "Ascent", g.ascent);
  ret += HPDF_Dict_AddNumber(descriptor, "Descent", g.descent);
  ret += HPDF_Dict_AddNumber(descriptor, "Flags",
                             static_cast<HPDF_INT32>(g.flags));
  ret += HPDF_Dict_Add(descriptor, "FontBBox",
                       HPDF_Box_Array_New(pdf->mmgr, g.bbox));
  ret += HPDF_Dict_AddName(descriptor, "FontName", g.base_font.c_str());
  ret += HPDF_Dict_AddNumber(descriptor, "ItalicAngle", g.italic_angle);
  ret += HPDF_Dict_AddNumber(descriptor, "StemV", g.stemv);
  ret += HPDF_Dict_AddNumber(descriptor, "XHeight", g.x_height);
  if (ret != HPDF_OK) return Fail("font descriptor", ret);
  return Status::Ok();
}

PdfWriter::PdfWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfWriter::~PdfWriter() = default;

Result<std::unique_ptr<PdfWriter>> PdfWriter::Create(
    const std::string& regular_ttf, const std::string& bold_ttf,
    const std::string& icc_profile, const std::string& hand_ttf) {
  auto impl = std::make_unique<Impl>();
  impl->doc.reset(HPDF_New(&OnError, &impl->error));
  if (!impl->doc) return InternalError("libharu: cannot create document");
  // Registers the "UTF-8" encoder; encoders outlive HPDF_NewDoc.
  if (HPDF_UseUTFEncodings(impl->doc.get()) != HPDF_OK) {
    return impl->Check("UTF-8 encoder");
  }
  for (auto [path, font] :
       {std::pair(&regular_ttf, &impl->regular),
        std::pair(&bold_ttf, &impl->bold), std::pair(&hand_ttf, &impl->hand)}) {
    if (path->empty() && font == &impl->hand) continue;
    Result<std::shared_ptr<SharedFont>> f = impl->Font(*path);
    if (!f.ok()) return f.status();
    *font = std::move(f).value();
  }
  Result<std::string> icc = ReadAll(icc_profile);
  if (!icc.ok()) {
    return ConfigError("ICC-Profil '" + icc_profile +
                       "' kann nicht gelesen werden.");
  }
  // The same profile goes into every letter: compress it once.
  impl->icc = Deflater(kOnceLevel).Deflate(*icc);
  if (impl->icc.empty()) return impl->Fail("ICC profile");
  const SourceFont& regular = impl->Source(0);
  const SourceFont& bold = impl->Source(1);
  impl->printable.assign(regular.has_glyph.size(), false);
  for (char32_t cp = 0; cp < impl->printable.size(); ++cp) {
    impl->printable[cp] =
        InLetterRepertoire(cp) && regular.Has(cp) && bold.Has(cp);
  }
  return std::unique_ptr<PdfWriter>(new PdfWriter(std::move(impl)));
}

uint64_t PdfWriter::GlyphSetsMade() {
  return glyph_sets_made.load(std::memory_order_relaxed);
}

bool PdfWriter::CanPrint(char32_t cp) const {
  return cp < impl_->printable.size() && impl_->printable[cp];
}

bool PdfWriter::CanHandwrite(char32_t cp) const {
  return InLetterRepertoire(cp) && impl_->Source(2).Has(cp);
}

namespace {

int StyleIndex(FontStyle style) {
  switch (style) {
    case FontStyle::kBold:
      return 1;
    case FontStyle::kHand:
      return 2;
    case FontStyle::kRegular:
      break;
  }
  return 0;
}

// `pages` without their kHand texts, for CheckPrintable (which knows the
// print fonts only); null when there are none.
std::unique_ptr<std::vector<Page>> WithoutHandwriting(
    const std::vector<Page>& pages) {
  bool any = false;
  for (const Page& p : pages) {
    for (const TextOp& t : p.texts) any = any || t.style == FontStyle::kHand;
  }
  if (!any) return nullptr;
  auto out = std::make_unique<std::vector<Page>>(pages);
  for (Page& p : *out) {
    p.texts.erase(std::remove_if(p.texts.begin(), p.texts.end(),
                                 [](const TextOp& t) {
                                   return t.style == FontStyle::kHand;
                                 }),
                  p.texts.end());
  }
  return out;
}

// A page's content stream, written byte for byte as libharu 2.3's page
// operators write it (numbers through HPDF_FToA, in the same float steps),
// but into a string: libharu's memory stream copies byte by byte, and its
// operators clear a 512-byte buffer each. Text is shown as
// HPDF_Page_TextOut shows it for the letter fonts (Type0, Identity-H,
// code = code point), without its per-character encoder and width calls,
// and with the codes as two bytes each in a literal string where libharu
// writes four hex digits (half the bytes to compress).
class PageContent {
 public:
  // Starts the content of `page` in `out` (cleared; reused across pages).
  PageContent(HPDF_Page page, std::string* out) : page_(page), out_(out) {
    out_->clear();
  }

  void LineWidth(HPDF_REAL w) { Numbers({w}, " w\012"); }
  void Rectangle(HPDF_REAL x, HPDF_REAL y, HPDF_REAL w, HPDF_REAL h) {
    Numbers({x, y, w, h}, " re\012");
  }
  void Fill() { out_->append("f\012"); }
  void Stroke() { out_->append("S\012"); }
  void MoveTo(HPDF_REAL x, HPDF_REAL y) { Numbers({x, y}, " m\012"); }
  void LineTo(HPDF_REAL x, HPDF_REAL y) { Numbers({x, y}, " l\012"); }
  // The text position starts at the origin (libharu resets its matrix).
  void BeginText() {
    out_->append("BT\012");
    tm_x_ = tm_y_ = 0;
  }
  void EndText() { out_->append("ET\012"); }
  // Puts `font` into the page's resources (F1, F2, ... in the order of
  // first use) and selects it. False when libharu cannot add it or the
  // size is out of libharu's range.
  bool SetFontAndSize(HPDF_Font font, HPDF_REAL size);
  // `text`: valid UTF-8 of the Basic Multilingual Plane (CheckPrintable)
  // whose glyphs are not all without width. Precondition: between
  // BeginText and EndText, a font set. False for a code point beyond it.
  bool TextOut(HPDF_REAL x, HPDF_REAL y, const std::string& text);

 private:
  // `values`, each as HPDF_FToA writes it, separated by spaces; then `op`.
  void Numbers(std::initializer_list<HPDF_REAL> values, const char* op) {
    char buf[32];
    bool first = true;
    for (HPDF_REAL v : values) {
      if (!first) out_->push_back(' ');
      first = false;
      out_->append(buf, HPDF_FToA(buf, v, buf + sizeof buf - 1));
    }
    out_->append(op);
  }
  static char* PutCodeByte(char* p, unsigned char b);

  HPDF_Page page_;
  std::string* out_;
  HPDF_REAL tm_x_ = 0, tm_y_ = 0;  // libharu's text matrix (no Tm written)
};

bool PageContent::SetFontAndSize(HPDF_Font font, HPDF_REAL size) {
  if (size <= 0 || size > HPDF_MAX_FONTSIZE) return false;
  const char* name = HPDF_Page_GetLocalFontName(page_, font);
  if (name == nullptr) return false;
  out_->push_back('/');
  out_->append(name);  // F<n>: nothing to escape
  out_->push_back(' ');
  Numbers({size}, " Tf\012");
  return true;
}

bool PageContent::TextOut(HPDF_REAL x, HPDF_REAL y, const std::string& text) {
  // As libharu's Td relative to the text matrix, in the same float steps.
  const HPDF_REAL dx = x - tm_x_;
  const HPDF_REAL dy = y - tm_y_;
  Numbers({dx, dy}, " Td\012");
  tm_x_ += dx;
  tm_y_ += dy;
  if (text.empty()) return true;
  // At most two bytes per code point, each at most two characters
  // escaped: written in place, then cut to length.
  const size_t start = out_->size();
  out_->resize(start + 1 + 4 * text.size());
  char* p = out_->data() + start;
  *p++ = '(';
  for (size_t i = 0; i < text.size();) {
    const char32_t cp = NextCodePoint(text, &i);
    if (cp > 0xFFFF) return false;
    p = PutCodeByte(p, static_cast<unsigned char>(cp >> 8));
    p = PutCodeByte(p, static_cast<unsigned char>(cp & 0xFF));
  }
  out_->resize(static_cast<size_t>(p - out_->data()));
  out_->append(") Tj\012");
  return true;
}

// Writes `b` at `p` and returns the end. Backslash, both parentheses and
// the end-of-line bytes are escaped (a reader turns a raw CR into LF).
char* PageContent::PutCodeByte(char* p, unsigned char b) {
  switch (b) {
    case '\\':
    case '(':
    case ')':
      *p++ = '\\';
      *p++ = static_cast<char>(b);
      break;
    case '\r':
      *p++ = '\\';
      *p++ = 'r';
      break;
    case '\n':
      *p++ = '\\';
      *p++ = 'n';
      break;
    default:
      *p++ = static_cast<char>(b);
  }
  return p;
}

// Writes `p` as the content of `page` into `content`, with `fonts` the
// document's fonts by StyleIndex. False when a font or text cannot be set.
bool DrawPage(const Page& p, HPDF_Page page, const HPDF_Font fonts[3],
              std::string* content) {
  PageContent c(page, content);
  for (const RectOp& r : p.rects) {
    if (!r.fill) c.LineWidth(static_cast<HPDF_REAL>(r.width));
    c.Rectangle(static_cast<HPDF_REAL>(r.x),
                static_cast<HPDF_REAL>(kA4Height - r.y - r.h),
                static_cast<HPDF_REAL>(r.w), static_cast<HPDF_REAL>(r.h));
    if (r.fill) {
      c.Fill();
    } else {
      c.Stroke();
    }
  }
  for (const LineOp& l : p.lines) {
    c.LineWidth(static_cast<HPDF_REAL>(l.width));
    c.MoveTo(static_cast<HPDF_REAL>(l.x1),
             static_cast<HPDF_REAL>(kA4Height - l.y1));
    c.LineTo(static_cast<HPDF_REAL>(l.x2),
             static_cast<HPDF_REAL>(kA4Height - l.y2));
    c.Stroke();
  }
  c.BeginText();
  HPDF_Font current = nullptr;
  double current_size = 0;
  for (const TextOp& t : p.texts) {
    HPDF_Font f = fonts[StyleIndex(t.style)];
    if (f != current || t.size != current_size) {
      if (f == nullptr ||
          !c.SetFontAndSize(f, static_cast<HPDF_REAL>(t.size))) {
        return false;
      }
      current = f;
      current_size = t.size;
    }
    if (!c.TextOut(static_cast<HPDF_REAL>(t.x),
                   static_cast<HPDF_REAL>(kA4Height - t.y), t.text)) {
      return false;
    }
  }
  c.EndText();
  return true;
}

}  // namespace

Status PdfWriter::CheckHandwriting(const std::vector<Page>& pages) const {
  for (const Page& p : pages) {
    for (const TextOp& t : p.texts) {
      if (t.style != FontStyle::kHand) continue;
      for (size_t i = 0; i < t.text.size();) {
        const char32_t cp = NextCodePoint(t.text, &i);
        if (!CanHandwrite(cp)) {
          return InvalidInput("Die Handschrift hat kein Zeichen für „" +
                              t.text + "“.");
        }
      }
    }
  }
  return Status::Ok();
}

double PdfWriter::Width(std::string_view text, FontStyle style,
                        double size) const {
  const SourceFont& f = impl_->Source(StyleIndex(style));
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
  Status s;
  if (!meta.printable_checked) {
    const std::unique_ptr<std::vector<Page>> printed =
        WithoutHandwriting(pages);
    s = CheckPrintable(printed ? *printed : pages, core::Application{},
                       [this](char32_t cp) { return CanPrint(cp); });
    if (!s.ok()) return s;
  }
  s = CheckHandwriting(pages);
  if (!s.ok()) return s;
  // Each style's code points, as its texts use them: one bit each (the
  // fonts reach the Basic Multilingual Plane only; CheckPrintable refused
  // the rest).
  std::vector<uint64_t> used[3];
  for (auto& u : used) u.assign(0x10000 / 64, 0);
  for (const Page& p : pages) {
    for (const TextOp& t : p.texts) {
      std::vector<uint64_t>& u = used[StyleIndex(t.style)];
      for (size_t i = 0; i < t.text.size();) {
        const char32_t cp = NextCodePoint(t.text, &i);
        if (cp < 0x10000) u[cp / 64] |= uint64_t{1} << (cp % 64);
      }
    }
  }
  if (HPDF_NewDoc(pdf) != HPDF_OK) return im.Check("new document");
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  // A font is only put into the document when a text uses it.
  SharedFont* shared[3] = {im.regular.get(), im.bold.get(), im.hand.get()};
  for (int k = 0; k < 3; ++k) {
    im.in_use[k] = nullptr;
    if (shared[k] == nullptr) continue;  // no hand font (CheckHandwriting)
    // The glyph set: those code points rounded up to whole blocks of
    // what the font has (kGlyphBlock).
    static_assert(64 % kGlyphBlock == 0, "blocks within a word of bits");
    const uint64_t block_mask = (uint64_t{1} << kGlyphBlock) - 1;
    std::vector<char32_t> cps;
    for (size_t word = 0; word < used[k].size(); ++word) {
      const uint64_t bits = used[k][word];
      for (char32_t first = 0; bits != 0 && first < 64; first += kGlyphBlock) {
        if (((bits >> first) & block_mask) == 0) continue;
        const char32_t block = static_cast<char32_t>(word * 64) + first;
        for (char32_t cp = block; cp < block + kGlyphBlock; ++cp) {
          if (shared[k]->source.Has(cp) || ((bits >> (cp % 64)) & 1) != 0) {
            cps.push_back(cp);
          }
        }
      }
    }
    if (cps.empty()) continue;
    Result<std::shared_ptr<const GlyphSetFont>> g =
        im.GlyphSet(*shared[k], "rbh"[k], cps);
    if (!g.ok()) return g.status();
    im.in_use[k] = std::move(g).value();
  }
  HPDF_Font fonts[3] = {nullptr, nullptr, nullptr};
  for (int k = 0; k < 3; ++k) {
    if (im.in_use[k] == nullptr) continue;
    Result<HPDF_Font> f = im.AddFont(*im.in_use[k]);
    if (!f.ok()) return f.status();
    fonts[k] = *f;
  }

  // The pages' contents are compressed here at libdeflate's fastest level;
  // saved, libharu would deflate them with zlib at its default level, which
  // took a third of a letter's instructions.
  im.deflated.resize(pages.size());  // not moved while pages refer to it
  for (size_t i = 0; i < pages.size(); ++i) {
    HPDF_Page page = HPDF_AddPage(pdf);
    if (page == nullptr) return im.Check("adding a page");
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(kA4Width));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(kA4Height));
    if (!DrawPage(pages[i], page, fonts, &im.content)) {
      return im.Fail("drawing a page");
    }
    if (!SetPageContent(page, im.content, im.deflater, &im.deflated[i])) {
      return im.Fail("compressing a page");
    }
    s = im.Check("drawing page");
    if (!s.ok()) return s;
  }
  s = im.AddMetadata(meta);
  if (!s.ok()) return s;

  // Saved through a stream that appends to `out` (HPDF_SaveToStream keeps
  // a stream it finds); taken away again before `out` goes.
  std::string out;
  // Room for the whole letter at once (the last one's size and a quarter):
  // growing by doubling copied it up to four times.
  out.reserve(im.last_size + im.last_size / 4);
  if (pdf->stream != nullptr) HPDF_Stream_Free(pdf->stream);
  pdf->stream = HPDF_CallbackWriter_New(pdf->mmgr, AppendToString, &out);
  if (pdf->stream == nullptr) return im.Check("saving");
  const bool saved = HPDF_SaveToStream(pdf) == HPDF_OK;
  const bool whole = out.size() == HPDF_GetStreamSize(pdf);
  HPDF_Stream_Free(pdf->stream);
  pdf->stream = nullptr;
  if (!saved) return im.Check("saving");
  if (!whole) return im.Fail("reading the saved document");
  im.last_size = out.size();
  return out;
}

}  // namespace bescheid::letters
