// A seeded source of random numbers whose sequence is the same with every
// C++ standard library: the engine is std::mt19937_64 (its output is fixed
// by the standard) and the conversions to uniform and normal numbers are
// this module's own (std::*_distribution are not portable). Not
// thread-safe; give each thread its own Rng.
#ifndef BESCHEID_SCAN_RNG_H_
#define BESCHEID_SCAN_RNG_H_

#include <cstdint>
#include <random>
#include <string_view>

namespace bescheid::scan {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t Next() { return engine_(); }
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [lo, hi).
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform in [lo, hi], both included. Precondition: lo <= hi.
  int UniformInt(int lo, int hi);
  // Standard normal (mean 0, deviation 1), by the Box–Muller transform.
  double Normal();

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// A well-mixed seed from a seed and a further value (SplitMix64 finaliser),
// so that related streams (per variant, per application) do not overlap.
std::uint64_t MixSeed(std::uint64_t seed, std::uint64_t value);

// A stable 64-bit hash of `text` (FNV-1a), for mixing names into seeds.
std::uint64_t HashText(std::string_view text);

}  // namespace bescheid::scan

#endif  // BESCHEID_SCAN_RNG_H_
