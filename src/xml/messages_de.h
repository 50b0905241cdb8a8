// Turns libxml2's English parser and schema messages into short German
// sentences for clerks. Internal to the xml module.
#ifndef BESCHEID_XML_MESSAGES_DE_H_
#define BESCHEID_XML_MESSAGES_DE_H_

#include <string>

namespace bescheid::xml {

// `code` is libxml2's xmlParserErrors value, `message` its text, `str1` the
// first string argument (a tag or entity name, where libxml2 gives one).
std::string TranslateParserError(int code, const std::string& message,
                                 const std::string& str1, int int1);

// `message` is a schema validity message such as
// "Element '{ns}VZAE': [facet 'minInclusive'] The value '0.20' is less than
// the minimum value allowed ('0.25').".
std::string TranslateSchemaError(const std::string& message);

}  // namespace bescheid::xml

#endif  // BESCHEID_XML_MESSAGES_DE_H_
