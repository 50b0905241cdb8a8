#include "scan/ocr.h"

#include <allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace bescheid::scan {

struct OcrEngine::Impl {
  tesseract::TessBaseAPI api;
  tesseract::ETEXT_DESC monitor;
  Pix* page = nullptr;
  bool whitelist = false;
};

OcrEngine::OcrEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OcrEngine::~OcrEngine() {
  if (impl_) impl_->api.End();
}

Result<std::unique_ptr<OcrEngine>> OcrEngine::Create(
    const std::string& tessdata_dir, const std::string& language) {
  auto impl = std::make_unique<Impl>();
  if (impl->api.Init(tessdata_dir.c_str(), language.c_str(),
                     tesseract::OEM_LSTM_ONLY) != 0) {
    return ConfigError("tesseract: cannot load language '" + language +
                       "' from " + tessdata_dir);
  }
  // Zones are read alone; nothing learnt on one page should colour the next.
  impl->api.SetVariable("classify_enable_learning", "0");
  impl->api.SetVariable("debug_file", "/dev/null");
  return std::unique_ptr<OcrEngine>(new OcrEngine(std::move(impl)));
}

void OcrEngine::SetPage(Pix* page, int deadline_ms) {
  impl_->page = page;
  impl_->api.SetImage(page);
  const int dpi = pixGetXRes(page);
  if (dpi > 0) impl_->api.SetSourceResolution(dpi);
  impl_->monitor = tesseract::ETEXT_DESC();
  impl_->monitor.set_deadline_msecs(deadline_ms);
}

namespace {

std::string Trim(const char* raw) {
  std::string s = raw ? raw : "";
  const char* ws = " \t\r\n\f\v";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

tesseract::PageSegMode ModeOf(ZoneKind kind) {
  return kind == ZoneKind::kCharacter || kind == ZoneKind::kDigit
             ? tesseract::PSM_SINGLE_CHAR
             : tesseract::PSM_SINGLE_LINE;
}

bool DigitsOnly(ZoneKind kind) {
  return kind == ZoneKind::kDigits || kind == ZoneKind::kDigit;
}

}  // namespace

ZoneText OcrEngine::ReadZone(const PixelBox& box, ZoneKind kind) {
  ZoneText out;
  if (impl_->monitor.deadline_exceeded()) {
    out.timed_out = true;
    return out;
  }
  tesseract::TessBaseAPI& api = impl_->api;
  const bool digits = DigitsOnly(kind);
  if (digits != impl_->whitelist) {
    api.SetVariable("tessedit_char_whitelist", digits ? "0123456789" : "");
    impl_->whitelist = digits;
  }
  api.SetPageSegMode(ModeOf(kind));
  api.SetRectangle(box.x, box.y, box.w, box.h);
  if (api.Recognize(&impl_->monitor) != 0) {
    out.timed_out = impl_->monitor.deadline_exceeded();
    return out;
  }
  char* text = api.GetUTF8Text();
  out.text = Trim(text);
  delete[] text;
  if (!out.text.empty()) out.confidence = api.MeanTextConf() / 100.0;
  return out;
}

void EnsureOmpThreadLimit(int /*argc*/, char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") != nullptr) return;
  if (setenv("OMP_THREAD_LIMIT", "1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  // execv returned: keep running with the variable set for children.
}

}  // namespace bescheid::scan
