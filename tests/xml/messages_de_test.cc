#include "xml/messages_de.h"

#include <gtest/gtest.h>
#include <libxml/xmlerror.h>

namespace bescheid::xml {
namespace {

TEST(TranslateSchemaErrorTest, Facets) {
  EXPECT_EQ(
      TranslateSchemaError(
          "Element '{urn:x}VZAE': [facet 'minInclusive'] The value "
          "'0.20' is less than the minimum value allowed ('0.25').\n"),
      "Feld 'Stellenumfang in Vollzeitäquivalenten (VZÄ)': Der Wert 0,20 ist "
      "kleiner als der kleinste zulässige Wert 0,25");
  EXPECT_EQ(TranslateSchemaError(
                "Element '{urn:x}PLZ': [facet 'pattern'] The value '8806' is "
                "not accepted by the pattern '[0-9]{5}'.\n"),
            "Feld 'Postleitzahl': Wert '8806' ist ungültig; erwartet wird eine "
            "Postleitzahl aus 5 Ziffern");
  EXPECT_EQ(TranslateSchemaError(
                "Element '{urn:x}Name': [facet 'minLength'] The value has a "
                "length of '0'; this underruns the allowed minimum length of "
                "'1'.\n"),
            "Feld 'Name': Angabe fehlt (das Feld ist leer)");
}

TEST(TranslateSchemaErrorTest, StructureAndAttributes) {
  EXPECT_EQ(TranslateSchemaError(
                "Element '{urn:x}Stellen': Missing child element(s). Expected "
                "is ( {urn:x}Stelle ).\n"),
            "Feld 'Stellen': Pflichtangabe fehlt: Stelle");
  EXPECT_EQ(TranslateSchemaError(
                "Element '{urn:x}Foerderantrag': The attribute 'version' is "
                "required but missing.\n"),
            "Feld 'Förderantrag': Pflichtattribut 'version' fehlt");
  EXPECT_EQ(TranslateSchemaError(
                "Element '{urn:x}Foerderantrag', attribute 'version': [facet "
                "'enumeration'] The value '2.0' is not an element of the set "
                "{'1.0'}.\n"),
            "Feld 'Förderantrag', Attribut 'version': Wert '2.0' ist nicht "
            "zulässig; erlaubt: '1.0'");
  EXPECT_EQ(TranslateSchemaError(
                "Element '{urn:x}X': This element is not expected. Expected is "
                "one of ( {urn:x}A, {urn:x}B ).\n"),
            "Feld 'X': Element ist an dieser Stelle nicht erwartet; "
            "erwartet wird eines von A, B");
}

TEST(TranslateSchemaErrorTest, UnknownMessagesKeepTheirContent) {
  EXPECT_EQ(TranslateSchemaError("Element '{urn:x}Y': Something new.\n"),
            "Feld 'Y': Schemafehler: Something new.");
}

TEST(TranslateParserErrorTest, TruncationExplainsWhatToDo) {
  const std::string t = TranslateParserError(
      XML_ERR_TAG_NOT_FINISHED, "Premature end of data", "Stellen", 31);
  EXPECT_NE(t.find("mitten im Element 'Stellen' (begonnen in Zeile 31)"),
            std::string::npos);
  EXPECT_NE(t.find("erneut ab"), std::string::npos);
}

TEST(TranslateParserErrorTest, FallbackKeepsLibxmlText) {
  EXPECT_EQ(TranslateParserError(9999, "Odd thing\n", "", 0),
            "Die Datei ist kein wohlgeformtes XML (Odd thing).");
}

}  // namespace
}  // namespace bescheid::xml
