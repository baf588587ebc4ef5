# Turns a text file into a C++ function returning its contents, so the
# default configuration travels inside the binary.
file(READ ${INPUT} text)
set(delimiter "ehsim_embedded")
file(WRITE ${OUTPUT}.new "// Generated from ${INPUT_NAME} by cmake/embed_text.cmake.\n#include <string_view>\nnamespace ehsim::config {\nstd::string_view ${FUNCTION}() {\n  return R\"${delimiter}(${text})${delimiter}\";\n}\n}  // namespace ehsim::config\n")
file(COPY_FILE ${OUTPUT}.new ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.new)
