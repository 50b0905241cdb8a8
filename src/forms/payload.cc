#include "forms/payload.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/text.h"

namespace bescheid::forms {
namespace {

constexpr char kMagic[] = "BSA";
constexpr uint8_t kFlagDeflated = 1;
constexpr size_t kMaxInflated = 1u << 20;
constexpr size_t kMaxString = 1000;  // bytes; the schema allows 200 characters

class Writer {
 public:
  void Byte(unsigned b) { out_.push_back(static_cast<char>(b & 0xFF)); }
  void Varint(uint64_t v) {
    while (v >= 0x80) {
      Byte(static_cast<unsigned>(v & 0x7F) | 0x80);
      v >>= 7;
    }
    Byte(static_cast<unsigned>(v));
  }
  void String(const std::string& s) {
    Varint(s.size());
    out_ += s;
  }
  void Date(const core::Date& d) {
    Varint(static_cast<uint64_t>(d.year));
    Byte(static_cast<unsigned>(d.month));
    Byte(static_cast<unsigned>(d.day));
  }
  std::string& bytes() { return out_; }

 private:
  std::string out_;
};

// Reads what Writer wrote; any read past the end or out of range sets
// failed(), after which every read returns zero values.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  size_t pos() const { return pos_; }
  unsigned Byte() {
    if (pos_ >= in_.size()) return Fail();
    return static_cast<unsigned char>(in_[pos_++]);
  }
  uint64_t Varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const unsigned b = Byte();
      if (failed_) return 0;
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return Fail();
  }
  int Int(int min, int max) {
    const uint64_t v = Varint();
    if (failed_ || v < static_cast<uint64_t>(min) ||
        v > static_cast<uint64_t>(max)) {
      return Fail();
    }
    return static_cast<int>(v);
  }
  std::string String() {
    const uint64_t n = Varint();
    if (failed_ || n > kMaxString || n > in_.size() - pos_) {
      Fail();
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    if (!core::IsValidUtf8(s)) Fail();
    return s;
  }
  // Marks the data as bad (a value out of its range).
  void Reject() { Fail(); }
  core::Date Date() {
    core::Date d;
    d.year = Int(1, 9999);
    d.month = static_cast<int>(Byte());
    d.day = static_cast<int>(Byte());
    if (d.month < 1 || d.month > 12 || d.day < 1 ||
        (!failed_ && d.day > core::DaysInMonth(d.year, d.month))) {
      Fail();
    }
    return d;
  }

 private:
  unsigned Fail() {
    failed_ = true;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

void WritePosition(Writer& w, const core::Position& p) {
  w.String(p.person);
  w.Byte(static_cast<unsigned>(p.qualification) | (p.proof_attached ? 4u : 0u) |
         (p.provider ? 8u : 0u));
  w.Varint(static_cast<uint64_t>(p.fte_hundredths));
  w.Varint(static_cast<uint64_t>(p.start.year));
  w.Byte(static_cast<unsigned>(p.start.month));
  w.Varint(static_cast<uint64_t>(p.months));
  if (p.provider) w.String(*p.provider);
}

core::Position ReadPosition(Reader& r) {
  core::Position p;
  p.person = r.String();
  const unsigned bits = r.Byte();
  if ((bits & 3u) > 2u || bits > 15u) r.Reject();
  p.qualification = static_cast<core::Qualification>(bits & 3u);
  p.proof_attached = (bits & 4u) != 0;
  p.fte_hundredths = r.Int(25, 100);
  p.start.year = r.Int(1, 9999);
  p.start.month = static_cast<int>(r.Byte());
  if (p.start.month < 1 || p.start.month > 12) r.Reject();
  p.months = r.Int(1, 24);
  if ((bits & 8u) != 0) p.provider = r.String();
  return p;
}

std::string Body(const core::Application& a) {
  Writer w;
  w.String(a.programme);
  w.Byte((a.receipt_date ? 1u : 0u) | (a.bank.bic ? 2u : 0u) |
         (a.declarations.complete_and_correct ? 4u : 0u) |
         (a.declarations.no_double_funding ? 8u : 0u) |
         (a.declarations.accepts_anbest_k ? 16u : 0u));
  if (a.receipt_date) w.Date(*a.receipt_date);
  w.Byte(static_cast<unsigned>(a.kind));
  for (const std::string* s :
       {&a.name, &a.ags, &a.address.recipient, &a.address.street,
        &a.address.postcode, &a.address.city, &a.contact.name, &a.contact.phone,
        &a.contact.email}) {
    w.String(*s);
  }
  w.Varint(a.members.size());
  for (const core::Member& m : a.members) {
    w.String(m.ags);
    w.String(m.name);
  }
  w.String(a.bank.holder);
  w.String(a.bank.iban);
  if (a.bank.bic) w.String(*a.bank.bic);
  w.Varint(a.positions.size());
  for (const core::Position& p : a.positions) WritePosition(w, p);
  w.String(a.signature.place);
  w.Date(a.signature.date);
  w.String(a.signature.name);
  w.String(a.signature.function);
  return std::move(w.bytes());
}

Result<core::Application> ParseBody(std::string_view body) {
  Reader r(body);
  core::Application a;
  a.programme = r.String();
  const unsigned flags = r.Byte();
  if (flags & 1u) a.receipt_date = r.Date();
  a.declarations.complete_and_correct = (flags & 4u) != 0;
  a.declarations.no_double_funding = (flags & 8u) != 0;
  a.declarations.accepts_anbest_k = (flags & 16u) != 0;
  const unsigned kind = r.Byte();
  if (kind > 2) r.Reject();
  a.kind = static_cast<core::ApplicantKind>(kind);
  for (std::string* s :
       {&a.name, &a.ags, &a.address.recipient, &a.address.street,
        &a.address.postcode, &a.address.city, &a.contact.name, &a.contact.phone,
        &a.contact.email}) {
    *s = r.String();
  }
  a.members.resize(static_cast<size_t>(r.Int(0, 100)));
  for (core::Member& m : a.members) {
    m.ags = r.String();
    m.name = r.String();
  }
  a.bank.holder = r.String();
  a.bank.iban = r.String();
  if (flags & 2u) a.bank.bic = r.String();
  a.positions.resize(static_cast<size_t>(r.Int(1, 50)));
  for (core::Position& p : a.positions) p = ReadPosition(r);
  a.signature.place = r.String();
  a.signature.date = r.Date();
  a.signature.name = r.String();
  a.signature.function = r.String();
  if (r.failed() || !r.at_end() || flags > 31u) {
    return InvalidInput(
        "Barcode: die Antragsdaten sind nicht vollständig lesbar.");
  }
  return a;
}

std::string Deflate(const std::string& raw) {
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 9) != Z_OK) {
    return {};
  }
  out.resize(size);
  return out;
}

Result<std::string> Inflate(std::string_view in) {
  Reader r(in);
  const uint64_t n = r.Varint();
  if (r.failed() || n > kMaxInflated) {
    return InvalidInput("Barcode: die Antragsdaten sind nicht lesbar.");
  }
  const size_t skip = r.pos();
  std::string out(n, '\0');
  uLongf size = static_cast<uLongf>(n);
  if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size,
                 reinterpret_cast<const Bytef*>(in.data() + skip),
                 static_cast<uLong>(in.size() - skip)) != Z_OK ||
      size != n) {
    return InvalidInput("Barcode: die Antragsdaten sind nicht lesbar.");
  }
  return out;
}

void AppendBigEndian(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    s.push_back(static_cast<char>((v >> shift) & 0xFF));
  }
}

}  // namespace

uint32_t Crc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  }
  return crc ^ 0xFFFFFFFFu;
}

std::string EncodePayload(const core::Application& app) {
  const std::string body = Body(app);
  const std::string deflated = Deflate(body);
  Writer sized;
  sized.Varint(body.size());
  const bool use_deflate =
      !deflated.empty() && sized.bytes().size() + deflated.size() < body.size();
  std::string out = kMagic;
  out.push_back(static_cast<char>(kPayloadVersion));
  out.push_back(static_cast<char>(use_deflate ? kFlagDeflated : 0));
  out += use_deflate ? sized.bytes() + deflated : body;
  AppendBigEndian(out, Crc32(out));
  return out;
}

Result<core::Application> DecodePayload(std::string_view bytes) {
  if (bytes.size() < 9 || bytes.substr(0, 3) != kMagic) {
    return InvalidInput(
        "Barcode: enthält keine Antragsdaten dieses "
        "Formulars.");
  }
  if (static_cast<unsigned char>(bytes[3]) != kPayloadVersion) {
    return InvalidInput("Barcode: Datenversion " +
                        std::to_string(static_cast<unsigned char>(bytes[3])) +
                        " wird nicht unterstützt (erwartet " +
                        std::to_string(kPayloadVersion) + ").");
  }
  const std::string_view signed_part = bytes.substr(0, bytes.size() - 4);
  uint32_t stored = 0;
  for (size_t i = bytes.size() - 4; i < bytes.size(); ++i) {
    stored = (stored << 8) | static_cast<unsigned char>(bytes[i]);
  }
  if (Crc32(signed_part) != stored) {
    return InvalidInput(
        "Barcode: die Prüfsumme stimmt nicht, die Daten sind "
        "beschädigt.");
  }
  const unsigned flags = static_cast<unsigned char>(bytes[4]);
  if (flags > kFlagDeflated) {
    return InvalidInput("Barcode: unbekannte Kennzeichen in den Daten.");
  }
  const std::string_view body = signed_part.substr(5);
  if (flags & kFlagDeflated) {
    Result<std::string> raw = Inflate(body);
    if (!raw.ok()) return raw.status();
    return ParseBody(*raw);
  }
  return ParseBody(body);
}

std::vector<std::string> SplitPayload(std::string_view payload, int parts) {
  std::vector<std::string> out;
  const size_t n = static_cast<size_t>(std::max(parts, 1));
  const size_t chunk = (payload.size() + n - 1) / n;
  for (size_t i = 0; i < n; ++i) {
    std::string part = "BQ";
    part.push_back(static_cast<char>(i));
    part.push_back(static_cast<char>(n));
    const size_t from = std::min(payload.size(), i * chunk);
    part += payload.substr(from, chunk);
    out.push_back(std::move(part));
  }
  return out;
}

Result<std::string> JoinPayload(const std::vector<std::string>& parts) {
  const Status bad = InvalidInput(
      "Barcode: die Teile der Antragsdaten sind unvollständig oder gehören "
      "nicht zusammen.");
  if (parts.empty()) return bad;
  std::vector<const std::string*> ordered(parts.size(), nullptr);
  for (const std::string& p : parts) {
    if (p.size() < 4 || p.compare(0, 2, "BQ") != 0 ||
        static_cast<unsigned char>(p[3]) != parts.size()) {
      return bad;
    }
    const size_t index = static_cast<unsigned char>(p[2]);
    if (index >= parts.size() || ordered[index] != nullptr) return bad;
    ordered[index] = &p;
  }
  std::string out;
  for (const std::string* p : ordered) out.append(*p, 4, std::string::npos);
  return out;
}

std::string EncodePageCode(const PageCode& code) {
  char serial[9];
  std::snprintf(serial, sizeof serial, "%08X", code.serial);
  return "BF1:" + code.form_id + ":" + code.version + ":" +
         std::to_string(code.page) + "/" + std::to_string(code.pages) + ":" +
         serial;
}

Result<PageCode> DecodePageCode(std::string_view text) {
  const Status bad = InvalidInput("Seitencode '" + std::string(text) +
                                  "' gehört nicht zu einem Formular.");
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = text.find(':', start)) != std::string::npos;
       start = colon + 1) {
    parts.emplace_back(text.substr(start, colon - start));
  }
  parts.emplace_back(text.substr(start));
  if (parts.size() != 5 || parts[0] != "BF1" || parts[1].empty() ||
      parts[2].empty() || parts[4].size() != 8 ||
      parts[4].find_first_not_of("0123456789ABCDEF") != std::string::npos) {
    return bad;
  }
  PageCode code;
  code.form_id = parts[1];
  code.version = parts[2];
  int page = 0, pages = 0;
  char tail = 0;
  if (std::sscanf(parts[3].c_str(), "%d/%d%c", &page, &pages, &tail) != 2 ||
      page < 1 || pages < page || pages > 999) {
    return bad;
  }
  code.page = page;
  code.pages = pages;
  code.serial =
      static_cast<uint32_t>(std::strtoul(parts[4].c_str(), nullptr, 16));
  return code;
}

}  // namespace bescheid::forms
