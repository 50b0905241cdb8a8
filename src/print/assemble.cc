#include "print/assemble.h"

#include <exception>
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "letters/layout.h"

namespace bescheid::print {
namespace {

// A4 portrait in points, as letters::PdfWriter writes it.
constexpr const char* kBlankPage =
    "<< /Type /Page /MediaBox [0 0 595.276 841.89] /Resources << >> >>";

Status Unreadable(const std::string& name, const std::string& why) {
  return InvalidInput("Die PDF-Datei " + name + " kann nicht gelesen werden (" +
                      why + "). Bitte das Schreiben neu erzeugen lassen.");
}

// Reads `pdf` into a fresh QPDF (which keeps pointing at `pdf`'s bytes:
// they must outlive it). Throws what qpdf throws.
std::unique_ptr<QPDF> Open(std::string_view pdf, const std::string& name) {
  auto q = std::make_unique<QPDF>();
  q->setSuppressWarnings(true);
  q->setAttemptRecovery(false);
  q->processMemoryFile(name.c_str(), pdf.data(), pdf.size());
  return q;
}

void AddBlankPage(QPDF& out, QPDFPageDocumentHelper& pages) {
  QPDFObjectHandle page =
      out.makeIndirectObject(QPDFObjectHandle::parse(kBlankPage));
  page.replaceKey("/Contents", QPDFObjectHandle::newStream(&out, ""));
  pages.addPage(QPDFPageObjectHelper(page), false);
}

// Appends every page of `in` to `pages`; false if `in` has not `expected`
// pages (expected 0: any number).
bool AddPages(QPDF& in, QPDFPageDocumentHelper& pages, int expected) {
  std::vector<QPDFPageObjectHelper> in_pages =
      QPDFPageDocumentHelper(in).getAllPages();
  if (expected > 0 && static_cast<int>(in_pages.size()) != expected) {
    return false;
  }
  for (QPDFPageObjectHelper& p : in_pages) pages.addPage(p, false);
  return true;
}

std::string Write(QPDF& out) {
  QPDFWriter w(out);
  w.setOutputMemory();
  w.setDeterministicID(true);
  w.write();
  std::shared_ptr<Buffer> buffer = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()),
                     buffer->getSize());
}

}  // namespace

Result<int> CountPages(std::string_view pdf, const std::string& name) {
  try {
    std::unique_ptr<QPDF> q = Open(pdf, name);
    return static_cast<int>(QPDFPageDocumentHelper(*q).getAllPages().size());
  } catch (const std::exception& e) {
    return Unreadable(name, e.what());
  }
}

Result<std::string> RenderCover(letters::PdfWriter& writer,
                                const CoverSheet& cover, int64_t timestamp) {
  using letters::kMm;
  letters::Page page;
  const std::vector<std::string> lines = CoverLines(cover);
  double y = 40 * kMm;
  for (size_t i = 0; i < lines.size(); ++i) {
    letters::TextOp t;
    t.x = 25 * kMm;
    t.y = y;
    t.size = i == 0 ? 18 : 12;
    t.style = i == 0 ? letters::FontStyle::kBold : letters::FontStyle::kRegular;
    t.text = lines[i];
    page.texts.push_back(std::move(t));
    y += i == 0 ? 16 * kMm : 8 * kMm;
  }
  letters::PdfMetadata meta;
  meta.title = lines.front();
  meta.subject = "Deckblatt";
  meta.timestamp = timestamp;
  return writer.Write({page}, meta);
}

Result<std::string> AssembleBatch(const BatchPlan& plan,
                                  std::string_view cover_pdf,
                                  const std::vector<std::string>& letter_pdfs) {
  if (letter_pdfs.size() != plan.letters.size()) {
    return InternalError("batch: " + std::to_string(letter_pdfs.size()) +
                         " PDFs for " + std::to_string(plan.letters.size()) +
                         " planned letters");
  }
  std::string name = "Deckblatt";
  try {
    QPDF out;
    out.emptyPDF();
    QPDFPageDocumentHelper pages(out);
    std::vector<std::unique_ptr<QPDF>> inputs;  // alive until written
    inputs.push_back(Open(cover_pdf, name));
    if (!AddPages(*inputs.back(), pages, plan.cover_pages)) {
      return Unreadable(name, "Seitenzahl anders als geplant");
    }
    if (plan.blank_after_cover) AddBlankPage(out, pages);
    for (size_t i = 0; i < plan.letters.size(); ++i) {
      const PlannedLetter& p = plan.letters[i];
      name = p.letter.document + ".pdf";
      inputs.push_back(Open(letter_pdfs[i], name));
      if (!AddPages(*inputs.back(), pages, p.letter.pages)) {
        return Unreadable(name, "Seitenzahl anders als geplant");
      }
      if (p.blank_after) AddBlankPage(out, pages);
    }
    return Write(out);
  } catch (const std::exception& e) {
    return Unreadable(name, e.what());
  }
}

}  // namespace bescheid::print
