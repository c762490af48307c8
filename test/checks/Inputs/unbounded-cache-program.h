// Declared in a header: other translation units may call it.
#include <string>
void registerCodec(const std::string &Name);
