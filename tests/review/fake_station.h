// A review::Station for tests: one open case with two fields, a draft, a
// problem, in memory, recording every call (method and the ids it was
// given) so tests can tell what reached the service. Corrections behave
// like the service's: an AGS that is not 8 digits is a validation problem,
// anything else decides the case as a draft that waits for release, and a
// release of a draft its user corrected is refused (four eyes).
// Thread-safe.
#ifndef BESCHEID_TESTS_REVIEW_FAKE_STATION_H_
#define BESCHEID_TESTS_REVIEW_FAKE_STATION_H_

#include <algorithm>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "review/station.h"

namespace bescheid::testing {

// A 1x1 PNG's header is enough for PngSize; `width` x `height` claimed.
inline std::string FakePng(uint32_t width, uint32_t height) {
  std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
  for (uint32_t v : {width, height}) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      png += static_cast<char>((v >> shift) & 0xff);
    }
  }
  png += std::string("\x08\x00\x00\x00\x00", 5);
  return png;
}

class FakeStation : public review::Station {
 public:
  static constexpr const char* kCaseId = "872b1998c3a3-1";

  FakeStation() {
    review::Case c;
    c.summary = {kCaseId,
                 "scan-0001.pdf",
                 "2026-11-20",
                 "Gemeinde Musterhausen",
                 "Der AGS ist unsicher gelesen.",
                 true};
    c.pages = 1;
    c.fields.push_back({"applicant.ags",
                        "Amtlicher Gemeindeschlüssel",
                        "0811100O",
                        0.41,
                        1,
                        {100, 200, 400, 50},
                        "Der AGS ist unsicher gelesen.",
                        true});
    c.fields.push_back({"applicant.name",
                        "Name der Gemeinde",
                        "Gemeinde Musterhausen",
                        0.97,
                        1,
                        {100, 300, 600, 50},
                        "",
                        false});
    cases_.push_back(c);
    drafts_.push_back({"RPS15-IM-2017-0007", "BEWILLIGUNG", "Stadt Beispiel",
                       "2026-11-25 09:30:00", "anna"});
    problems_.push_back({"p-0001", "antrag<script>.xml", "ABGEWIESEN",
                         "Die Datei ist kein gültiger Antrag.",
                         "2026-11-25 10:00:00"});
  }

  // Changes the case (values, boxes) before a test or demo uses it.
  void EditCase(const std::function<void(review::Case&)>& edit) {
    std::lock_guard<std::mutex> lock(mu_);
    edit(cases_.front());
  }

  // Every call as "Method:arg", in order.
  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  bool Called(const std::string& prefix) const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::any_of(calls_.begin(), calls_.end(), [&](const std::string& c) {
      return c.rfind(prefix, 0) == 0;
    });
  }
  std::vector<std::string> released() const {
    std::lock_guard<std::mutex> lock(mu_);
    return released_;
  }

  review::Health health;
  review::Metrics metrics;
  review::Overview overview;

  Result<review::Overview> GetOverview() override {
    Note("GetOverview:");
    return overview;
  }
  Result<std::vector<review::CaseSummary>> ListCases() override {
    Note("ListCases:");
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<review::CaseSummary> out;
    for (const auto& c : cases_) out.push_back(c.summary);
    return out;
  }
  Result<review::Case> GetCase(const std::string& id) override {
    Note("GetCase:" + id);
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& c : cases_) {
      if (c.summary.id == id) return c;
    }
    return Status(StatusCode::kNotFound, "Diesen Fall gibt es nicht.");
  }
  Result<review::Blob> GetCaseImage(const std::string& id,
                                    review::CaseImage kind,
                                    int index) override {
    Note("GetCaseImage:" + id + ":" + std::to_string(index));
    if (id != kCaseId || (kind == review::CaseImage::kPage && index != 1) ||
        (kind == review::CaseImage::kCrop && index != 0)) {
      return Status(StatusCode::kNotFound, "Dieses Bild gibt es nicht.");
    }
    return review::Blob{"image/png", kind == review::CaseImage::kPage
                                         ? FakePng(1240, 1754)
                                         : FakePng(400, 50)};
  }
  Result<review::SaveResult> SaveCorrections(
      const std::string& id, const std::map<std::string, std::string>& values,
      const std::string& user) override;
  Result<review::Blob> GetLetter(const std::string& aktenzeichen) override {
    Note("GetLetter:" + aktenzeichen);
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& d : drafts_) {
      if (d.aktenzeichen == aktenzeichen) {
        return review::Blob{"application/pdf", "%PDF-1.7 " + aktenzeichen};
      }
    }
    return Status(StatusCode::kNotFound, "Dieses Schreiben gibt es nicht.");
  }
  Result<std::vector<review::Draft>> ListDrafts() override {
    Note("ListDrafts:");
    std::lock_guard<std::mutex> lock(mu_);
    return drafts_;
  }
  Status Release(const std::vector<std::string>& aktenzeichen,
                 const std::string& user) override;
  Result<std::vector<review::Problem>> ListProblems() override {
    Note("ListProblems:");
    std::lock_guard<std::mutex> lock(mu_);
    return problems_;
  }
  Status Requeue(const std::string& problem_id,
                 const std::string& user) override {
    Note("Requeue:" + problem_id + ":" + user);
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find_if(problems_.begin(), problems_.end(),
                           [&](const auto& p) { return p.id == problem_id; });
    if (it == problems_.end()) {
      return Status(StatusCode::kNotFound, "Diese Datei gibt es nicht mehr.");
    }
    problems_.erase(it);
    return Status::Ok();
  }
  Result<std::vector<review::SearchHit>> Search(const std::string& query,
                                                size_t limit) override {
    Note("Search:" + query + ":" + std::to_string(limit));
    std::vector<review::SearchHit> hits;
    if (query == "Beispiel") {
      hits.push_back({"RPS15-IM-2017-0007", "", "Stadt Beispiel", "08111000",
                      "BEWILLIGUNG", "2026-11-25"});
    }
    return hits;
  }
  Result<std::vector<review::AuditEntry>> AuditFor(
      const std::string& target) override {
    Note("AuditFor:" + target);
    return std::vector<review::AuditEntry>{};
  }
  review::Health CheckHealth() override {
    Note("CheckHealth:");
    return health;
  }
  review::Metrics GetMetrics() override {
    Note("GetMetrics:");
    return metrics;
  }

 private:
  void Note(const std::string& call) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(call);
  }

  mutable std::mutex mu_;
  std::vector<std::string> calls_;
  std::vector<review::Case> cases_;
  std::vector<review::Draft> drafts_;
  std::vector<review::Problem> problems_;
  std::vector<std::string> released_;
};

inline Result<review::SaveResult> FakeStation::SaveCorrections(
    const std::string& id, const std::map<std::string, std::string>& values,
    const std::string& user) {
  Note("SaveCorrections:" + id + ":" + user);
  std::lock_guard<std::mutex> lock(mu_);
  auto c = std::find_if(cases_.begin(), cases_.end(),
                        [&](const auto& x) { return x.summary.id == id; });
  if (c == cases_.end()) {
    return Status(StatusCode::kNotFound, "Diesen Fall gibt es nicht.");
  }
  for (const auto& [field, value] : values) {
    auto f = std::find_if(c->fields.begin(), c->fields.end(),
                          [&](const auto& x) { return x.id == field; });
    if (f == c->fields.end()) {
      return InvalidInput("Das Feld '" + field + "' gibt es nicht.");
    }
    c->audit.push_back(
        {"2026-11-26 10:00:00", user, "korrektur", id, field, f->value, value});
    f->value = value;
  }
  c->corrected_by = user;
  review::SaveResult result;
  const std::string ags = c->fields[0].value;
  if (ags.size() != 8 ||
      ags.find_first_not_of("0123456789") != std::string::npos) {
    result.problems.push_back("Der AGS '" + ags + "' hat nicht 8 Ziffern.");
    return result;
  }
  result.aktenzeichen = "RPS15-IM-2017-0042";
  result.awaiting_release = true;
  drafts_.push_back({"RPS15-IM-2017-0042", "BEWILLIGUNG", c->summary.applicant,
                     "2026-11-26 10:00:00", user});
  c->summary.open = false;
  return result;
}

inline Status FakeStation::Release(const std::vector<std::string>& aktenzeichen,
                                   const std::string& user) {
  std::string joined;
  for (const auto& az : aktenzeichen) joined += az + ",";
  Note("Release:" + joined + ":" + user);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& az : aktenzeichen) {
    auto d = std::find_if(drafts_.begin(), drafts_.end(),
                          [&](const auto& x) { return x.aktenzeichen == az; });
    if (d == drafts_.end()) {
      return Status(StatusCode::kNotFound,
                    "Den Entwurf " + az + " gibt es nicht.");
    }
    if (d->corrected_by == user) {
      return InvalidInput("Vier-Augen-Prinzip: " + az + " hat " + user +
                          " selbst korrigiert; eine andere Person muss "
                          "freigeben.");
    }
  }
  for (const auto& az : aktenzeichen) {
    drafts_.erase(
        std::remove_if(drafts_.begin(), drafts_.end(),
                       [&](const auto& x) { return x.aktenzeichen == az; }),
        drafts_.end());
    released_.push_back(az);
  }
  return Status::Ok();
}

}  // namespace bescheid::testing

#endif  // BESCHEID_TESTS_REVIEW_FAKE_STATION_H_
