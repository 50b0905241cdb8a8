#include "xml/application_reader.h"

#include <libxml/xmlerror.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <vector>

#include "core/money.h"
#include "core/text.h"
#include "xml/libxml_handles.h"
#include "xml/messages_de.h"

namespace bescheid::xml {

extern const char kAntragXsd[];  // generated from schemas/antrag-1.0.xsd

namespace {

constexpr size_t kMaxReportedProblems = 20;

struct Problem {
  int line = 0;
  int column = 0;
  std::string text;
};

// Collects the errors of one parse or validation run. Lives on the stack of
// Read(); libxml2 calls back into it through the context pointers.
struct Collector {
  std::vector<Problem> problems;
  bool doctype = false;
  int doctype_line = 0;
  int doctype_column = 0;
  std::string_view bytes;

  void Add(Problem p) {
    if (problems.size() < kMaxReportedProblems)
      problems.push_back(std::move(p));
  }
};

xmlParserInputPtr DenyAllEntityLoader(const char*, const char*,
                                      xmlParserCtxtPtr) {
  return nullptr;
}

void SilentGenericError(void*, const char*, ...) {}

void OnParserError(void* user, xmlErrorPtr error) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user);
  auto* collector = static_cast<Collector*>(ctxt->_private);
  if (collector == nullptr || error == nullptr) return;
  if (error->level < XML_ERR_ERROR &&
      error->code != XML_WAR_UNDECLARED_ENTITY) {
    return;  // warnings do not reject a document
  }
  collector->Add(
      {error->line, error->int2,
       TranslateParserError(error->code, error->message ? error->message : "",
                            error->str1 ? error->str1 : "", error->int1)});
}

void OnInternalSubset(void* user, const xmlChar*, const xmlChar*,
                      const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user);
  auto* collector = static_cast<Collector*>(ctxt->_private);
  collector->doctype = true;
  if (ctxt->input != nullptr) {
    collector->doctype_line = ctxt->input->line;
    collector->doctype_column = ctxt->input->col;
  }
  xmlStopParser(ctxt);  // before any entity declaration is read
}

// The 1-based column (in characters) of element `node`'s start tag on its
// line, or 0 if it cannot be found. libxml2 does not record columns for
// nodes, so schema errors get theirs from the source text.
int ElementColumn(std::string_view bytes, const xmlNode* node) {
  const long line = xmlGetLineNo(node);
  if (line <= 0 || node->type != XML_ELEMENT_NODE) return 0;
  size_t start = 0;
  for (long l = 1; l < line; ++l) {
    start = bytes.find('\n', start);
    if (start == std::string_view::npos) return 0;
    ++start;
  }
  const size_t end = std::min(bytes.find('\n', start), bytes.size());
  std::string tag = "<";
  if (node->ns != nullptr && node->ns->prefix != nullptr) {
    tag += Str(node->ns->prefix);
    tag += ':';
  }
  tag += Str(node->name);
  std::string_view line_text = bytes.substr(start, end - start);
  for (size_t at = line_text.find(tag); at != std::string_view::npos;
       at = line_text.find(tag, at + 1)) {
    const size_t after = at + tag.size();
    if (after >= line_text.size() || std::strchr(" \t\r/>", line_text[after])) {
      return static_cast<int>(core::CountCodePoints(line_text, at)) + 1;
    }
  }
  return 0;
}

void OnSchemaError(void* user, xmlErrorPtr error) {
  auto* collector = static_cast<Collector*>(user);
  if (error == nullptr || error->level < XML_ERR_ERROR) return;
  Problem p;
  p.line = error->line;
  if (error->node != nullptr) {
    const xmlNode* node = static_cast<const xmlNode*>(error->node);
    p.line = static_cast<int>(xmlGetLineNo(node));
    p.column = ElementColumn(collector->bytes, node);
  }
  p.text = TranslateSchemaError(error->message ? error->message : "");
  collector->Add(std::move(p));
}

void OnSchemaCompileError(void* user, xmlErrorPtr error) {
  auto* out = static_cast<std::string*>(user);
  if (error && error->message) *out += error->message;
}

std::string Locate(int line, int column) {
  if (line <= 0) return "";
  std::string s = "Zeile " + std::to_string(line);
  if (column > 0) s += ", Spalte " + std::to_string(column);
  return s + ": ";
}

Status Reject(const std::string& file_name, const std::vector<Problem>& ps) {
  std::string report = "Die Datei '" + file_name +
                       "' ist kein gültiger Förderantrag und wurde nicht "
                       "bearbeitet.\n";
  for (const Problem& p : ps) {
    report += "  " + Locate(p.line, p.column) + p.text + "\n";
  }
  report +=
      "Bitte korrigieren Sie die genannten Angaben (z. B. im Antragsportal) "
      "und reichen Sie den Antrag erneut ein.";
  return InvalidInput(report);
}

Status RejectOne(const std::string& file_name, std::string text, int line = 0,
                 int column = 0) {
  return Reject(file_name, {Problem{line, column, std::move(text)}});
}

// --- Mapping the validated tree to the domain type. The schema guarantees
// structure and lexical forms; the helpers still fail safely if not.

bool IsElement(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && n->ns != nullptr &&
         std::strcmp(Str(n->ns->href), kAntragNamespace) == 0 &&
         std::strcmp(Str(n->name), name) == 0;
}

const xmlNode* Child(const xmlNode* parent, const char* name) {
  if (parent == nullptr) return nullptr;
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (IsElement(c, name)) return c;
  }
  return nullptr;
}

std::vector<const xmlNode*> Children(const xmlNode* parent, const char* name) {
  std::vector<const xmlNode*> out;
  if (parent == nullptr) return out;
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (IsElement(c, name)) out.push_back(c);
  }
  return out;
}

// Text content with white space collapsed, as xs:token and the built-in
// types see it.
std::string Text(const xmlNode* node) {
  if (node == nullptr) return "";
  XmlCharPtr content(xmlNodeGetContent(node));
  std::string out;
  bool space = false;
  for (const char* p = content ? Str(content.get()) : ""; *p; ++p) {
    if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += *p;
    }
  }
  return out;
}

std::string Text(const xmlNode* parent, const char* name) {
  return Text(Child(parent, name));
}

bool Bool(const xmlNode* parent, const char* name) {
  const std::string t = Text(parent, name);
  return t == "true" || t == "1";
}

class Mapper {
 public:
  explicit Mapper(const std::string& file_name) : file_name_(file_name) {}

  Result<core::Application> Map(const xmlNode* root) {
    core::Application a;
    a.programme = Text(root, "Programm");
    if (const xmlNode* e = Child(root, "Eingangsdatum")) {
      auto d = core::Date::ParseIso(Text(e));
      if (!d.ok()) return Fail(e, d.status().message());
      a.receipt_date = *d;
    }
    const xmlNode* applicant = Child(root, "Antragsteller");
    a.kind = core::ParseApplicantKind(Text(applicant, "Art"))
                 .value_or(core::ApplicantKind::kGemeinde);
    a.name = Text(applicant, "Name");
    a.ags = Text(applicant, "AGS");
    const xmlNode* address = Child(applicant, "Anschrift");
    a.address = {Text(address, "Empfaenger"), Text(address, "Strasse"),
                 Text(address, "PLZ"), Text(address, "Ort")};
    const xmlNode* contact = Child(applicant, "Ansprechperson");
    a.contact = {Text(contact, "Name"), Text(contact, "Telefon"),
                 Text(contact, "EMail")};
    for (const xmlNode* m :
         Children(Child(root, "Zusammenschluss"), "Mitglied")) {
      a.members.push_back({Text(m, "AGS"), Text(m, "Name")});
    }
    const xmlNode* bank = Child(root, "Bankverbindung");
    a.bank.holder = Text(bank, "Kontoinhaber");
    a.bank.iban = Text(bank, "IBAN");
    if (const xmlNode* bic = Child(bank, "BIC")) a.bank.bic = Text(bic);
    for (const xmlNode* s : Children(Child(root, "Stellen"), "Stelle")) {
      core::Position p;
      p.person = Text(s, "Person");
      p.qualification = core::ParseQualification(Text(s, "Qualifikation"))
                            .value_or(core::Qualification::kC);
      auto fte = core::Decimal::Parse(Text(s, "VZAE"));
      if (!fte.ok()) return Fail(Child(s, "VZAE"), fte.status().message());
      auto hundredths = fte->ToHundredths();
      if (!hundredths.ok()) {
        return Fail(Child(s, "VZAE"), hundredths.status().message());
      }
      p.fte_hundredths = *hundredths;
      auto start = core::YearMonth::ParseIso(Text(s, "Beginn"));
      if (!start.ok())
        return Fail(Child(s, "Beginn"), start.status().message());
      p.start = *start;
      p.months = std::atoi(Text(s, "Monate").c_str());
      if (const xmlNode* t = Child(s, "Traeger")) p.provider = Text(t);
      p.proof_attached = Bool(s, "NachweisBeigefuegt");
      a.positions.push_back(std::move(p));
    }
    const xmlNode* decl = Child(root, "Erklaerungen");
    a.declarations = {Bool(decl, "AngabenVollstaendigRichtig"),
                      Bool(decl, "KeineDoppelfoerderung"),
                      Bool(decl, "ANBestKAnerkannt")};
    const xmlNode* sig = Child(root, "Unterzeichnung");
    auto date = core::Date::ParseIso(Text(sig, "Datum"));
    if (!date.ok()) return Fail(Child(sig, "Datum"), date.status().message());
    a.signature = {Text(sig, "Ort"), *date, Text(sig, "Name"),
                   Text(sig, "Funktion")};
    return a;
  }

 private:
  Status Fail(const xmlNode* node, const std::string& text) {
    return RejectOne(file_name_, text,
                     node ? static_cast<int>(xmlGetLineNo(node)) : 0);
  }
  const std::string& file_name_;
};

}  // namespace

struct ApplicationReader::Impl {
  SchemaPtr schema;
};

void InitializeLibxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(&DenyAllEntityLoader);
    // Only this thread's defaults; every context we create gets its own
    // handlers as well, so nothing is ever printed by libxml2 itself.
    xmlSetGenericErrorFunc(nullptr, &SilentGenericError);
  });
}

ApplicationReader::ApplicationReader(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
ApplicationReader::~ApplicationReader() = default;

Result<std::unique_ptr<ApplicationReader>> ApplicationReader::Create() {
  InitializeLibxml();
  SchemaParserCtxtPtr pctxt(
      xmlSchemaNewMemParserCtxt(kAntragXsd, std::strlen(kAntragXsd)));
  if (!pctxt) return InternalError("cannot create schema parser context");
  std::string errors;
  xmlSchemaSetParserStructuredErrors(pctxt.get(), &OnSchemaCompileError,
                                     &errors);
  auto impl = std::make_unique<Impl>();
  impl->schema.reset(xmlSchemaParse(pctxt.get()));
  if (!impl->schema) {
    return InternalError("built-in schema does not compile: " + errors);
  }
  return std::unique_ptr<ApplicationReader>(
      new ApplicationReader(std::move(impl)));
}

namespace {

// Why a file that does not start with '<' is no application: it names what
// it starts with, so that a clerk sees at once that it is some other text.
std::string NotXml(std::string_view start) {
  std::string shown;
  for (const char c : start.substr(0, 40)) {
    if (c == '\n' || c == '\r') break;
    shown += c;
  }
  while (!shown.empty() && !core::IsValidUtf8(shown)) shown.pop_back();
  return "Die Datei enthält kein XML, sondern Text (sie beginnt mit '" + shown +
         (start.size() > shown.size() && start[shown.size()] != '\n' &&
                  start[shown.size()] != '\r'
              ? "...'"
              : "'") +
         "). Angenommen werden Anträge als XML-Datei aus dem Antragsportal; "
         "bitte exportieren Sie den Antrag dort erneut und legen Sie diese "
         "Datei ab.";
}

}  // namespace

Result<core::Application> ApplicationReader::Read(
    std::string_view bytes, const std::string& file_name) const {
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return RejectOne(file_name,
                     "Die Datei ist leer. Bitte prüfen Sie, ob sie vollständig "
                     "übertragen wurde.");
  }
  size_t bad = 0;
  if (!core::IsValidUtf8(bytes, &bad)) {
    const int line = 1 + static_cast<int>(std::count(
                             bytes.begin(), bytes.begin() + bad, '\n'));
    return RejectOne(file_name,
                     "Die Datei ist nicht in UTF-8 kodiert (ungültiges Byte an "
                     "Position " +
                         std::to_string(bad) +
                         "). Bitte speichern oder exportieren Sie den Antrag "
                         "als UTF-8.",
                     line);
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return RejectOne(file_name, "Die Datei ist zu groß.");
  }
  if (std::string_view rest = bytes.substr(bytes.find_first_not_of(
          " \t\r\n", bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0));
      !rest.empty() && rest.front() != '<') {
    return RejectOne(file_name, NotXml(rest));
  }

  Collector collector;
  collector.bytes = bytes;
  ParserCtxtPtr ctxt(
      xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size())));
  if (!ctxt) return InternalError("cannot create XML parser context");
  // Network off; no NOENT, DTDLOAD, DTDVALID, XINCLUDE, HUGE or RECOVER.
  xmlCtxtUseOptions(ctxt.get(), XML_PARSE_NONET | XML_PARSE_BIG_LINES);
  ctxt->_private = &collector;
  ctxt->sax->serror = &OnParserError;
  ctxt->sax->internalSubset = &OnInternalSubset;
  ctxt->sax->externalSubset = nullptr;
  ctxt->vctxt.error = nullptr;
  ctxt->vctxt.warning = nullptr;
  xmlParseDocument(ctxt.get());
  DocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;

  if (collector.doctype) {
    return RejectOne(file_name,
                     "Die Datei enthält eine Dokumenttyp-Deklaration "
                     "(<!DOCTYPE ...>). Aus Sicherheitsgründen werden nur "
                     "Anträge ohne DOCTYPE angenommen.",
                     collector.doctype_line, collector.doctype_column);
  }
  if (!collector.problems.empty() || !ctxt->wellFormed) {
    // A document cut off in transfer ends inside markup or text; say so
    // first, since the parser's own words ("tag not finished") hide it.
    const size_t last = bytes.find_last_not_of(" \t\r\n");
    if (last != std::string_view::npos && bytes[last] != '>') {
      collector.problems.insert(
          collector.problems.begin(),
          Problem{0, 0,
                  "Die Datei endet vorzeitig; sie ist vermutlich "
                  "unvollständig übertragen worden. Bitte legen Sie sie "
                  "vollständig erneut ab."});
    }
  }
  if (!collector.problems.empty()) return Reject(file_name, collector.problems);
  if (!ctxt->wellFormed || !doc) {
    return RejectOne(file_name, "Die Datei ist kein wohlgeformtes XML.");
  }
  if (doc->encoding != nullptr &&
      xmlStrcasecmp(doc->encoding, X("UTF-8")) != 0) {
    return RejectOne(file_name,
                     std::string("Die Datei ist als '") + Str(doc->encoding) +
                         "' deklariert; angenommen wird nur UTF-8.",
                     1);
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) {
    return RejectOne(file_name, "Die Datei enthält kein Wurzelelement.");
  }
  if (!IsElement(root, "Foerderantrag")) {
    const std::string ns = root->ns ? Str(root->ns->href) : "";
    return RejectOne(
        file_name,
        "Das Dokument ist kein Förderantrag nach Format 1.0: erwartet wird "
        "das Element 'Foerderantrag' im Namensraum '" +
            std::string(kAntragNamespace) + "', gefunden wurde '" +
            Str(root->name) + "'" +
            (ns.empty() ? " ohne Namensraum" : " im Namensraum '" + ns + "'") +
            ".",
        static_cast<int>(xmlGetLineNo(root)), ElementColumn(bytes, root));
  }

  SchemaValidCtxtPtr vctxt(xmlSchemaNewValidCtxt(impl_->schema.get()));
  if (!vctxt) return InternalError("cannot create schema validation context");
  xmlSchemaSetValidStructuredErrors(vctxt.get(), &OnSchemaError, &collector);
  const int rc = xmlSchemaValidateDoc(vctxt.get(), doc.get());
  if (rc < 0) {
    // libxml2 failed internally (e.g. out of memory): not the input's fault.
    return InternalError("schema validation failed internally (" +
                         std::to_string(rc) + ")");
  }
  if (rc != 0 || !collector.problems.empty()) {
    if (collector.problems.empty()) {
      collector.Add({0, 0, "Das Dokument entspricht nicht dem Schema."});
    }
    return Reject(file_name, collector.problems);
  }
  return Mapper(file_name).Map(root);
}

}  // namespace bescheid::xml
