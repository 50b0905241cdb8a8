#include "scan/degrade.h"

#include <allheaders.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <string>

#include "scan/lept_util.h"

namespace bescheid::scan {
namespace {

constexpr double kPi = 3.14159265358979323846;

Status CheckDepth(Pix* page, bool bitonal_ok, const char* what) {
  if (page == nullptr) return InternalError(std::string(what) + ": no page");
  const int d = pixGetDepth(page);
  if (d == 8 || d == 32 || (bitonal_ok && d == 1)) {
    if (pixGetColormap(page) == nullptr) return Status::Ok();
  }
  return InternalError(std::string(what) + ": unsupported depth " +
                       std::to_string(d) + " or colormap");
}

Result<PixPtr> Owned(Pix* made, Pix* from, const char* what) {
  if (made == nullptr) {
    return InternalError(std::string("Leptonica: ") + what + " failed");
  }
  pixCopyResolution(made, from);
  return PixPtr(made);
}

l_uint8 Clamp(double v) {
  return static_cast<l_uint8>(std::clamp(std::lround(v), 0L, 255L));
}

}  // namespace

Result<PixPtr> Rotate(Pix* page, double degrees) {
  Status s = CheckDepth(page, true, "Rotate");
  if (!s.ok()) return s;
  return Owned(pixRotate(page, static_cast<l_float32>(degrees * kPi / 180.0),
                         L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0),
               page, "pixRotate");
}

Result<PixPtr> Shift(Pix* page, int dx, int dy) {
  Status s = CheckDepth(page, true, "Shift");
  if (!s.ok()) return s;
  return Owned(pixTranslate(nullptr, page, dx, dy, L_BRING_IN_WHITE), page,
               "pixTranslate");
}

Result<PixPtr> AddGaussianNoise(Pix* page, double sigma, Rng& rng) {
  Status s = CheckDepth(page, false, "AddGaussianNoise");
  if (!s.ok()) return s;
  PixPtr out(pixCopy(nullptr, page));
  if (!out) return InternalError("Leptonica: pixCopy failed");
  const int w = pixGetWidth(page), h = pixGetHeight(page);
  const bool grey = pixGetDepth(page) == 8;
  const int wpl = pixGetWpl(out.get());
  l_uint32* data = pixGetData(out.get());
  for (int y = 0; y < h; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    for (int x = 0; x < w; ++x) {
      if (grey) {
        SET_DATA_BYTE(line, x,
                      Clamp(GET_DATA_BYTE(line, x) + sigma * rng.Normal()));
        continue;
      }
      l_int32 r, g, b;
      extractRGBValues(line[x], &r, &g, &b);
      composeRGBPixel(Clamp(r + sigma * rng.Normal()),
                      Clamp(g + sigma * rng.Normal()),
                      Clamp(b + sigma * rng.Normal()), line + x);
    }
  }
  return out;
}

Result<PixPtr> Blur(Pix* page, int radius) {
  Status s = CheckDepth(page, false, "Blur");
  if (!s.ok()) return s;
  if (radius <= 0) return Owned(pixCopy(nullptr, page), page, "pixCopy");
  return Owned(pixBlockconv(page, radius, radius), page, "pixBlockconv");
}

Result<PixPtr> AddSaltAndPepper(Pix* page, double density, Rng& rng) {
  assert(density >= 0.0 && density <= 1.0);
  Status s = CheckDepth(page, true, "AddSaltAndPepper");
  if (!s.ok()) return s;
  PixPtr out(pixCopy(nullptr, page));
  if (!out) return InternalError("Leptonica: pixCopy failed");
  const int w = pixGetWidth(page), h = pixGetHeight(page);
  const int d = pixGetDepth(page);
  const auto count = static_cast<long long>(
      std::llround(density * static_cast<double>(w) * h));
  // Black is 1 in a 1 bpp PIX and 0 in grey and colour.
  const l_uint32 black = d == 1 ? 1 : 0;
  const l_uint32 white = d == 1 ? 0 : (d == 8 ? 255 : 0xffffff00);
  for (long long i = 0; i < count; ++i) {
    const int x = rng.UniformInt(0, w - 1);
    const int y = rng.UniformInt(0, h - 1);
    pixSetPixel(out.get(), x, y, (rng.Next() & 1) != 0 ? black : white);
  }
  return out;
}

Result<PixPtr> JpegRoundTrip(Pix* page, int quality) {
  Status s = CheckDepth(page, false, "JpegRoundTrip");
  if (!s.ok()) return s;
  l_uint8* bytes = nullptr;
  size_t size = 0;
  if (pixWriteMemJpeg(&bytes, &size, page, std::clamp(quality, 1, 100), 0) !=
      0) {
    return InternalError("Leptonica: JPEG encoding failed");
  }
  Pix* decoded = pixReadMemJpeg(bytes, size, 0, 1, nullptr, 0);
  lept_free(bytes);
  return Owned(decoded, page, "JPEG decoding");
}

Result<PixPtr> Binarize(Pix* page, int threshold) {
  Status s = CheckDepth(page, false, "Binarize");
  if (!s.ok()) return s;
  return Owned(pixConvertTo1(page, std::clamp(threshold, 1, 255)), page,
               "pixConvertTo1");
}

Result<PixPtr> PaintWhite(Pix* page, const PixelBox& box) {
  Status s = CheckDepth(page, false, "PaintWhite");
  if (!s.ok()) return s;
  PixPtr out(pixCopy(nullptr, page));
  if (!out) return InternalError("Leptonica: pixCopy failed");
  const PixelBox cut =
      internal::Clamp(box, pixGetWidth(page), pixGetHeight(page));
  if (cut.w == 0 || cut.h == 0) return out;
  internal::BoxPtr b = internal::MakeBox(cut);
  if (!b) return InternalError("Leptonica: boxCreate failed");
  if (pixSetInRectArbitrary(out.get(), b.get(),
                            pixGetDepth(page) == 8 ? 255 : 0xffffff00) != 0) {
    return InternalError("Leptonica: painting failed");
  }
  return out;
}

Result<PixPtr> RotateUpsideDown(Pix* page) {
  Status s = CheckDepth(page, true, "RotateUpsideDown");
  if (!s.ok()) return s;
  return Owned(pixRotate180(nullptr, page), page, "pixRotate180");
}

namespace {

// A page passed through steps in order; the first failure ends the chain
// and is what Finish returns.
class Chain {
 public:
  explicit Chain(PixPtr page) : page_(std::move(page)) {}

  // Replaces the page by step(page) if `apply` and nothing failed yet.
  template <typename Step>
  Chain& Then(bool apply, Step step) {
    if (!apply || !status_.ok()) return *this;
    Result<PixPtr> next = step(page_.get());
    if (next.ok()) {
      page_ = std::move(next).value();
    } else {
      status_ = next.status();
    }
    return *this;
  }

  Result<PixPtr> Finish() {
    if (!status_.ok()) return status_;
    return std::move(page_);
  }

 private:
  PixPtr page_;
  Status status_;
};

}  // namespace

Result<PixPtr> Degrade(Pix* page, const Degradation& d, Rng& rng) {
  PixPtr copy(pixCopy(nullptr, page));
  if (!copy) return InternalError("Leptonica: pixCopy failed");
  const bool bitonal = d.bitonal_threshold > 0;
  return Chain(std::move(copy))
      .Then(d.shift_x != 0 || d.shift_y != 0,
            [&](Pix* p) { return Shift(p, d.shift_x, d.shift_y); })
      .Then(d.rotate_degrees != 0.0,
            [&](Pix* p) { return Rotate(p, d.rotate_degrees); })
      .Then(d.blur_radius > 0, [&](Pix* p) { return Blur(p, d.blur_radius); })
      .Then(d.noise_sigma > 0.0,
            [&](Pix* p) { return AddGaussianNoise(p, d.noise_sigma, rng); })
      .Then(d.salt_pepper_density > 0.0,
            [&](Pix* p) {
              return AddSaltAndPepper(p, d.salt_pepper_density, rng);
            })
      .Then(bitonal, [&](Pix* p) { return Binarize(p, d.bitonal_threshold); })
      .Then(!bitonal && d.jpeg_quality > 0,
            [&](Pix* p) { return JpegRoundTrip(p, d.jpeg_quality); })
      .Then(d.upside_down, RotateUpsideDown)
      .Finish();
}

}  // namespace bescheid::scan
