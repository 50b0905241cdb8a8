#include "letters/font_subset.h"

#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <memory>

namespace bescheid::letters {
namespace {

// Owning handles for HarfBuzz objects.
template <typename T, void (*Destroy)(T*)>
struct HbDeleter {
  void operator()(T* p) const { Destroy(p); }
};
using BlobPtr =
    std::unique_ptr<hb_blob_t, HbDeleter<hb_blob_t, hb_blob_destroy>>;
using FacePtr =
    std::unique_ptr<hb_face_t, HbDeleter<hb_face_t, hb_face_destroy>>;
using SetPtr = std::unique_ptr<hb_set_t, HbDeleter<hb_set_t, hb_set_destroy>>;
using FontPtr =
    std::unique_ptr<hb_font_t, HbDeleter<hb_font_t, hb_font_destroy>>;
using InputPtr =
    std::unique_ptr<hb_subset_input_t,
                    HbDeleter<hb_subset_input_t, hb_subset_input_destroy>>;

// BEGIN LETTER REPERTOIRE (read by scripts/make-fonts.sh: keep one range a
// line, written as {0xFIRST, 0xLAST})
const std::vector<CodePointRange> kRepertoire = {
    {0x0020, 0x007E},  // Basic Latin
    {0x00A0, 0x024F},  // Latin-1 Supplement, Latin Extended-A and -B
    {0x02B0, 0x02FF},  // Spacing Modifier Letters (ʼ ˆ ˇ ˘ ˙ ˚ ˛ ˜ ˝)
    {0x0370, 0x03FF},  // Greek and Coptic
    {0x0400, 0x052F},  // Cyrillic and Cyrillic Supplement
    {0x1E00, 0x1EFF},  // Latin Extended Additional (Vietnamese)
    {0x2010, 0x2027},  // General Punctuation: dashes, quotes, bullets
    {0x202F, 0x205E},  //   (without format characters U+2028..202E, 2060-)
    {0x20A0, 0x20C0},  // Currency Symbols
    {0x2100, 0x214F},  // Letterlike Symbols (№ ™ ℮)
    {0x2150, 0x218B},  // Number Forms (⅓ Ⅻ)
    {0x2190, 0x21FF},  // Arrows
    {0x2212, 0x2212},  // minus sign
    {0x2215, 0x2215},  // division slash
    {0x2219, 0x2219},  // bullet operator
    {0x221E, 0x221E},  // infinity
    {0x2248, 0x2248},  // almost equal to
    {0x2260, 0x2260},  // not equal to
    {0x2264, 0x2265},  // less-than or equal to, greater-than or equal to
};
// END LETTER REPERTOIRE

}  // namespace

const std::vector<CodePointRange>& LetterRepertoire() { return kRepertoire; }

bool InLetterRepertoire(char32_t cp) {
  auto it = std::upper_bound(
      kRepertoire.begin(), kRepertoire.end(), cp,
      [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != kRepertoire.begin() && cp <= std::prev(it)->last;
}

Result<FontSubset> SubsetToRepertoire(std::string_view ttf,
                                      const std::string& name) {
  return SubsetFont(ttf, kRepertoire, name);
}

Result<FontSubset> SubsetFont(std::string_view ttf,
                              const std::vector<CodePointRange>& keep,
                              const std::string& name) {
  auto fail = [&name](const std::string& why) {
    return ConfigError("Schriftart '" + name +
                       "' kann nicht verwendet werden (" + why + ").");
  };
  // HB_MEMORY_MODE_READONLY: HarfBuzz reads `ttf` in place while the
  // subset is made and copies what it keeps.
  BlobPtr blob(
      hb_blob_create_or_fail(ttf.data(), static_cast<unsigned>(ttf.size()),
                             HB_MEMORY_MODE_READONLY, nullptr, nullptr));
  if (!blob) return fail("zu groß");
  FacePtr face(hb_face_create(blob.get(), 0));
  if (hb_face_get_glyph_count(face.get()) == 0) {
    return fail("keine TrueType-Schrift");
  }
  InputPtr input(hb_subset_input_create_or_fail());
  if (!input) return fail("kein Speicher");
  hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
  for (const CodePointRange& r : keep) {
    hb_set_add_range(unicodes, r.first, r.last);
  }
  // Nothing shapes text here, and libharu embeds only the tables a
  // TrueType rasteriser needs: drop the layout tables before subsetting
  // them, and the hinting programs.
  hb_set_t* drop =
      hb_subset_input_set(input.get(), HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (const char* tag : {"GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG"}) {
    hb_set_add(drop, hb_tag_from_string(tag, 4));
  }
  hb_subset_input_set_flags(
      input.get(), HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
  FacePtr cut(hb_subset_or_fail(face.get(), input.get()));
  if (!cut) return fail("Teilmenge nicht erstellbar");

  FontSubset out;
  BlobPtr bytes(hb_face_reference_blob(cut.get()));
  unsigned length = 0;
  const char* data = hb_blob_get_data(bytes.get(), &length);
  if (data == nullptr || length == 0) return fail("leere Teilmenge");
  out.ttf.assign(data, length);

  // Read back what was written: its cmap and its advances. A font's scale
  // defaults to its units per em, so advances come in font units.
  FacePtr result(hb_face_create(bytes.get(), 0));
  SetPtr mapped(hb_set_create());
  hb_face_collect_unicodes(result.get(), mapped.get());
  FontPtr font(hb_font_create(result.get()));
  const unsigned upem = hb_face_get_upem(result.get());
  for (hb_codepoint_t cp = HB_SET_VALUE_INVALID;
       hb_set_next(mapped.get(), &cp);) {
    hb_codepoint_t glyph = 0;
    hb_font_get_nominal_glyph(font.get(), cp, &glyph);
    const hb_position_t advance =
        hb_font_get_glyph_h_advance(font.get(), glyph);
    out.code_points.push_back(static_cast<char32_t>(cp));
    out.widths.push_back(static_cast<uint16_t>(
        static_cast<unsigned>(std::max(advance, 0)) * 1000u / upem));
  }
  if (out.code_points.empty()) return fail("keine passenden Zeichen");
  return out;
}

}  // namespace bescheid::letters
