//===--- ProjectFacts.h - leak-tidy ---------------------------------------===//
//
// Facts about the whole project: what other translation units do with a
// declaration this one can see (a container they shrink, a function they
// call with run-time values), read from the merged store `<dir>/facts.idx`
// that leak-tidy-run builds, and this TU's own facts, exported to
// `<dir>/tu/<sha1 of the main file>.jsonl` for the next merge.
//
// Keys are clang USRs. The store is sorted JSON lines (`<USR>\t<json>`): it
// is memory-mapped and binary-searched per key, never loaded whole, so that a
// lookup costs O(log n) at 10,000 translation units. Every question a TU asks
// is exported with a digest of the answer it saw; the driver re-runs a TU
// whose answers changed after the merge (docs/architecture.md, "Project
// facts"). Without a configured directory every call is a no-op and no file
// is touched.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_PROGRAM_PROJECTFACTS_H
#define LEAK_TIDY_LIB_PROGRAM_PROJECTFACTS_H

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Decl;
namespace leaklib {

class ProjectFacts {
public:
  /// The facts of \p Ctx's translation unit, with the configuration current
  /// when it is first asked for.
  static ProjectFacts &get(ASTContext &Ctx);
  /// The facts directory (empty: off) and whether to export this TU's facts.
  /// Process-wide; LeakCheck calls it from the options or the environment.
  static void configure(llvm::StringRef Dir, bool Export);
  /// Why `<Dir>/facts.idx` cannot be used (not a store), or "" when it can or
  /// does not exist.
  static std::string checkStore(llvm::StringRef Dir);

  /// A directory is configured: questions are asked (and exported).
  bool active() const { return !Dir.empty(); }
  bool exporting() const { return Export; }
  /// A facts.idx was found: absence of records is meaningful (closed world).
  bool hasStore() const { return Store != nullptr; }

  struct Record {
    llvm::json::Object Payload;
    std::string Tu, File;
    unsigned Line = 0;
  };
  /// Records of other TUs about \p D of kind \p Kind; records the question
  /// (key + digest) for export.
  std::vector<Record> lookup(const Decl *D, llvm::StringRef Kind);
  /// Adds one fact about \p D (exported when exporting; no-op otherwise).
  void add(const Decl *D, llvm::StringRef Kind, llvm::json::Object Payload,
           SourceLocation Loc);
  /// External linkage, or declared in a project header (a non-main file that
  /// is not a system header).
  static bool visibleToOtherTUs(const Decl *D);
  /// A location for a note in another file: creates a FileID for R.File in
  /// this TU's SourceManager if needed; invalid when the file cannot be read
  /// (callers then name the file in the note text).
  SourceLocation locationOf(const Record &R);
  /// Writes `<dir>/tu/<sha1(main)>.jsonl` atomically (temporary file +
  /// rename) when exporting and anything changed since the last write. Also
  /// run when the ASTContext is freed, after every check's end of TU.
  void writeExport();

  /// True the first time \p Producer asks in this TU: a producer run from
  /// several checks exports its facts once.
  bool claim(llvm::StringRef Producer) {
    return Claimed.insert(Producer).second;
  }
  /// The USR of \p D ("" when it has none).
  std::string keyOf(const Decl *D);
  /// The absolute main file of this TU, as the "tu" fields name it.
  llvm::StringRef tuPath() const { return Tu; }
  /// The export file of the TU whose main file is \p MainPath.
  static std::string exportPath(llvm::StringRef Dir, llvm::StringRef MainPath);
  /// The digest of what TU \p Tu reads about \p Key in \p Lines (the store
  /// lines of that key): hex SHA-1 of the JSON texts (+ "\n") of the lines of
  /// other TUs, "" when there are none. The same as facts.py's digest.
  static std::string digest(llvm::ArrayRef<llvm::StringRef> Lines,
                            llvm::StringRef Tu);
  /// The store lines (`<key>\t<json>`) of \p Key in \p Store (the whole
  /// file), by binary search.
  static std::vector<llvm::StringRef> findLines(llvm::StringRef Store,
                                                llvm::StringRef Key);

  explicit ProjectFacts(ASTContext &Ctx);
  ~ProjectFacts();
  ProjectFacts(const ProjectFacts &) = delete;
  ProjectFacts &operator=(const ProjectFacts &) = delete;

private:
  void collectFiles();
  std::pair<std::string, unsigned> fileLine(SourceLocation Loc) const;

  ASTContext &Ctx;
  std::string Dir, Tu;
  bool Export = false;
  bool Dirty = false;
  std::unique_ptr<llvm::MemoryBuffer> Store;
  llvm::json::Array Files; ///< the "files" array of the tu line
  std::vector<std::string> Facts;
  llvm::StringMap<std::string> Questions; ///< key -> digest seen
  llvm::DenseMap<const Decl *, std::string> Keys;
  llvm::StringSet<> Claimed;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_PROGRAM_PROJECTFACTS_H
