# cmake -DINPUT=file -DOUTPUT=file.cc -DSYMBOL=name -P EmbedText.cmake
# Writes a C++ source that defines `extern const char SYMBOL[]` holding the
# input file's text, in the bescheid::xml namespace.
file(READ ${INPUT} content)
string(FIND "${content}" ")EMBED\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE ${OUTPUT}
  "// Generated from ${INPUT}; do not edit.\n"
  "namespace bescheid::xml {\n"
  "extern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = R\"EMBED(${content})EMBED\";\n"
  "}  // namespace bescheid::xml\n")
