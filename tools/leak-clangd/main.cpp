//===--- main.cpp - leak-clangd -------------------------------------------===//
//
// leak-clangd: clangd 22 with leak-tidy's `leak` clang-tidy module linked in,
// so that editors show the leak-* findings as you type (clangd cannot load a
// clang-tidy plugin). Everything else is Debian's clangd, unchanged: main()
// hands over to clangd's own entry point from libclangdMain.a.
//
// The checks come from the static library leakTidyChecks (the same objects
// the LeakTidy.so plugin links); checks/LeakTidyModule.cpp, compiled into this
// executable, registers them with clang-tidy's module registry. The anchor
// below makes the dependency explicit.
//
//===----------------------------------------------------------------------===//
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace clang::clangd {
// Defined in libclangdMain.a (clang-tools-extra/clangd/tool/ClangdMain.cpp);
// Debian does not install clangd's headers, so declare it here.
int clangdMain(int argc, char *argv[]);
// Defined in libclangDaemon.a (clangd/Feature.cpp): what `clangd --version`
// prints.
std::string versionString();
std::string featureString();
std::string platformString();
} // namespace clang::clangd

namespace clang::tidy {
// Defined in checks/LeakTidyModule.cpp next to the module's registry entry.
extern volatile int LeakModuleAnchorSource;
} // namespace clang::tidy

static void printVersion() {
  llvm::outs()
      << clang::clangd::versionString() << "\n"
      << "Features: " << clang::clangd::featureString() << "\n"
      << "Platform: " << clang::clangd::platformString() << "\n"
      << "leak-tidy version " LEAK_TIDY_VERSION
         " (clangd with the leak-* checks built in; LLVM " LLVM_VERSION_STRING
         ")\n";
}

// clangd looks for Clang's builtin headers (stddef.h, ...) in
// <dir of the binary>/../lib/clang/<major>. That holds for Debian's own
// /usr/lib/llvm-22/bin/clangd but not for leak-clangd in build/bin or
// /usr/local/bin, so default --resource-dir to the LLVM it was built against
// when the usual place has no headers (an explicit --resource-dir wins).
static bool needsResourceDir(const char *Argv0) {
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&needsResourceDir));
  if (Exe.empty())
    return true;
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Exe));
  llvm::sys::path::append(Dir, "..", "lib", "clang");
  llvm::sys::path::append(Dir, std::to_string(LLVM_VERSION_MAJOR), "include",
                          "stddef.h");
  return !llvm::sys::fs::exists(Dir);
}

int main(int argc, char *argv[]) {
  // Keep the translation unit with the `leak` module's registry entry.
  (void)clang::tidy::LeakModuleAnchorSource;

  bool HasResourceDir = false;
  for (int I = 1; I < argc; ++I) {
    llvm::StringRef Arg = argv[I];
    if (Arg == "--")
      break;
    // clangdMain installs clangd's own --version printer, which exits before
    // LLVM's extra version printers run, so answer --version here: clangd's
    // three lines, then leak-tidy's.
    if (Arg == "--version" || Arg == "-version") {
      printVersion();
      return 0;
    }
    if (Arg.starts_with("--resource-dir") || Arg.starts_with("-resource-dir"))
      HasResourceDir = true;
  }

  std::vector<char *> Args(argv, argv + argc);
  static char ResourceDirArg[] = "--resource-dir=" LEAK_CLANGD_RESOURCE_DIR;
  if (!HasResourceDir &&
      llvm::sys::fs::is_directory(LEAK_CLANGD_RESOURCE_DIR) &&
      needsResourceDir(argv[0]))
    Args.insert(Args.begin() + 1, ResourceDirArg);
  Args.push_back(nullptr);
  return clang::clangd::clangdMain(static_cast<int>(Args.size()) - 1,
                                   Args.data());
}
