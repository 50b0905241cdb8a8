// What happens to a page between the printer and the scanner's output:
// each function below is one degradation, a function of the page, its
// parameters and (where random) an Rng, returning a new page and leaving
// the input unchanged. Output keeps the input's size and resolution.
//
// Depths: all functions take 8 bpp grey or 32 bpp RGB pages; Rotate, Shift,
// AddSaltAndPepper and RotateUpsideDown also take 1 bpp. Any other depth
// fails with kInternal. Thread-safety: as the PIXes and Rngs passed in
// (distinct ones may be used on distinct threads).
#ifndef BESCHEID_SCAN_DEGRADE_H_
#define BESCHEID_SCAN_DEGRADE_H_

#include "core/status.h"
#include "scan/ocr.h"
#include "scan/pix.h"
#include "scan/rng.h"

namespace bescheid::scan {

// Rotates about the centre by `degrees`, clockwise for positive values as
// seen on the page (Leptonica's sense), bringing in white at the corners.
Result<PixPtr> Rotate(Pix* page, double degrees);

// Moves the content right by `dx` and down by `dy` pixels (negative: left,
// up), bringing in white.
Result<PixPtr> Shift(Pix* page, int dx, int dy);

// Adds independent Gaussian noise of deviation `sigma` (grey levels) to
// every sample, clamped to 0..255.
Result<PixPtr> AddGaussianNoise(Pix* page, double sigma, Rng& rng);

// A box blur over (2 * radius + 1)² pixels; radius 0 copies.
Result<PixPtr> Blur(Pix* page, int radius);

// Sets round(density * width * height) randomly chosen pixels to black or
// white (each with probability 1/2). Precondition: 0 <= density <= 1.
Result<PixPtr> AddSaltAndPepper(Pix* page, double density, Rng& rng);

// Encodes as JPEG at `quality` (1..100) and decodes again, leaving the
// block and ringing artefacts of that quality.
Result<PixPtr> JpegRoundTrip(Pix* page, int quality);

// A bitonal (1 bpp) page: samples darker than `threshold` (1..255) become
// black, as a scanner in black-and-white mode does.
Result<PixPtr> Binarize(Pix* page, int threshold);

// The page with `box` (pixels, cut to the page) painted white, as a label
// stuck over it or a smudge cleaned off too hard: the corpus blots a page
// code out with it. 8 or 32 bpp.
Result<PixPtr> PaintWhite(Pix* page, const PixelBox& box);

// The page turned by 180 degrees, as when fed into the scanner upside down.
Result<PixPtr> RotateUpsideDown(Pix* page);

// A page's whole treatment, applied by Degrade in the order of the fields:
// paper placement (shift, rotation), optics (blur), sensor (noise), dust
// (salt and pepper), the scanner's output mode (bitonal or JPEG), and the
// feeding direction. Zero values leave a step out.
struct Degradation {
  int shift_x = 0;
  int shift_y = 0;
  double rotate_degrees = 0.0;
  int blur_radius = 0;
  double noise_sigma = 0.0;
  double salt_pepper_density = 0.0;
  int bitonal_threshold = 0;  // 0: keep grey or colour
  int jpeg_quality = 0;       // 0: no JPEG round trip (ignored if bitonal)
  bool upside_down = false;
};

Result<PixPtr> Degrade(Pix* page, const Degradation& d, Rng& rng);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_DEGRADE_H_
