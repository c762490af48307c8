// Plumbing of the LSP test, independent of any leak check: a clang warning and
// a clang-tidy check with a fix-it travel through leak-clangd exactly as a
// leak-* finding does (didOpen -> publishDiagnostics -> codeAction).
void use(int *);

void f() {
  int unused = 0; // LSP-DIAG: -Wunused-variable 'unused' ^Unused variable 'unused'$
  int *p = 0; // LSP-DIAG: modernize-use-nullptr '0' ^Use nullptr( \(fix available\))?$
  // LSP-FIX@-1: modernize-use-nullptr '0' -> 'nullptr'
  use(p);
}
