// Not a test: the station with the fake Station behind it, for the browser
// test (tests/e2e/station_e2e.py) and for looking at the pages. Users anna
// (sachbearbeitung, password anna-passwort-1) and bert (schlusszeichnung,
// bert-passwort-1); with --page, a real scanned page (PNG) is served as the
// case's page and its field crops are cut from it with Leptonica.
//
//   station_demo [--port N] [--page PAGE.png]
//
// Prints "port N" when it listens and serves until standard input closes.
#include <leptonica/allheaders.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "review/fake_station.h"
#include "review/http_server.h"
#include "test_util.h"

namespace {

using bescheid::Result;
using bescheid::review::Blob;
using bescheid::review::CaseImage;

// The fake with a real page image.
class DemoStation : public bescheid::testing::FakeStation {
 public:
  explicit DemoStation(std::string page) : page_(std::move(page)) {
    EditCase([](bescheid::review::Case& c) {
      c.summary.applicant = "Stadt Ulm";
      c.fields[0].value = "0842100O";
      c.fields[0].box = {338, 146, 104, 22};
      c.fields[1].value = "Stadt Ulm";
      c.fields[1].box = {42, 152, 292, 22};
      c.fields[1].has_crop = false;
    });
    overview.today = {
        {"BEWILLIGUNG", 4}, {"NACHFORDERUNG", 1}, {"PRUEFUNG", 1}};
    overview.inbox = 2;
    overview.review = 1;
    overview.awaiting_release = 1;
    const char* days[] = {"2026-11-20", "2026-11-21", "2026-11-23",
                          "2026-11-24", "2026-11-25", "2026-11-26"};
    for (int i = 0; i < 6; ++i) {
      overview.last_days.push_back({days[i],
                                    {{"BEWILLIGUNG", 3 + i % 3},
                                     {"ABLEHNUNG", i % 2},
                                     {"NACHFORDERUNG", 1 + i % 2},
                                     {"PRUEFUNG", i % 3 == 0 ? 1 : 0}}});
    }
  }

  Result<Blob> GetCaseImage(const std::string& id, CaseImage kind,
                            int index) override {
    Result<Blob> fake = FakeStation::GetCaseImage(id, kind, index);
    if (!fake.ok() || page_.empty()) return fake;
    if (kind == CaseImage::kPage) return Blob{"image/png", page_};
    return Blob{"image/png", Crop(338, 146, 104, 22)};
  }

 private:
  std::string Crop(int x, int y, int w, int h) const {
    PIX* page = pixReadMem(reinterpret_cast<const l_uint8*>(page_.data()),
                           page_.size());
    BOX* box = boxCreate(x, y, w, h);
    PIX* crop = page ? pixClipRectangle(page, box, nullptr) : nullptr;
    l_uint8* data = nullptr;
    size_t size = 0;
    std::string png;
    if (crop && pixWriteMem(&data, &size, crop, IFF_PNG) == 0) {
      png.assign(reinterpret_cast<const char*>(data), size);
    }
    lept_free(data);
    pixDestroy(&crop);
    boxDestroy(&box);
    pixDestroy(&page);
    return png;
  }

  std::string page_;
};

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string page;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--port") == 0) port = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--page") == 0) {
      page = bescheid::testing::ReadFileOrDie(argv[i + 1]);
    }
  }
  bescheid::testing::TempDir dir;
  auto users = bescheid::review::UserStore::Open(dir / "users", 1000);
  if (!users.ok()) return 2;
  for (const auto& [name, role] :
       {std::make_pair("anna", bescheid::review::Role::kSachbearbeitung),
        std::make_pair("bert", bescheid::review::Role::kSchlusszeichnung)}) {
    if (!(*users)
             ->Add(name, role, std::string(name) + "-passwort-1", 1000)
             .ok()) {
      return 2;
    }
  }
  DemoStation station(page);
  bescheid::review::ServerOptions options;
  options.port = port;
  auto server =
      bescheid::review::HttpServer::Start(options, &station, users->get());
  if (!server.ok()) {
    std::cerr << server.status().message() << "\n";
    return 2;
  }
  std::cout << "port " << (*server)->port() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  (*server)->Stop();
  return 0;
}
