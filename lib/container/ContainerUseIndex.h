//===--- ContainerUseIndex.h - leak-tidy ---------------------------------===//
//
// The TU-wide use index of program-lifetime containers: one pass over the
// translation unit collects every container that lives as long as the
// process (globals, static locals, static data members, thread_locals,
// locals of a main() that does not end soon or of a function that never
// returns -- ProgramFacts::livesForProcess --, members of classes whose only
// instances live that long, directly or as heap objects held by such
// storage or members) and every use of it -- grows,
// shrinks, escapes, size comparisons (a cap of the grows they guard) --
// together with the call graph needed to tell start-up filling (static
// constructors, initializers, call_once, functions only called from there) and
// constant keys (parameters bound to constants at every call site) from growth
// with run-time data. The answer: the containers that only ever grow with
// run-time keys.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CONTAINER_CONTAINERUSEINDEX_H
#define LEAK_TIDY_LIB_CONTAINER_CONTAINERUSEINDEX_H

#include "lib/container/ContainerModel.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/Storage.h"
#include "clang/Basic/SourceLocation.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class ValueDecl;
namespace leaklib {

struct ContainerUseOptions {
  /// Report containers other translation units may also shrink (declared
  /// extern in a header, public members of classes defined in headers).
  bool AssumeExternalContainersUnbounded = false;
  /// Functions that run their callable once (std::call_once, pthread_once).
  NameMatcher OnceFunctions;
  /// Give up (report nothing) past this many tracked references in a TU.
  unsigned MaxReferences = 200000;
};

/// One call that grows the container with a run-time key or element.
struct ContainerGrowth {
  const Expr *Call = nullptr;
  SourceLocation Loc;
  std::string Operation; ///< "operator[]", "insert", "g_hash_table_insert"
  bool Keyed = true;     ///< a key (maps, sets) rather than an element
  std::string KeySource; ///< "parameter 'host'", "the result of 'rand'"
  /// A constant element added to a sequence by code that runs more than
  /// once (KeySource says so).
  bool Constant = false;
  /// Where the key comes from when that is in another translation unit
  /// (project facts: a call with a run-time argument); invalid when the
  /// file cannot be shown, NoteText then names it.
  SourceLocation NoteLoc;
  std::string NoteText;
};

/// A note from project facts: what other translation units do (or do not
/// do) with the container. An invalid Loc: the text names the place.
struct ProjectNote {
  SourceLocation Loc;
  std::string Text;
};

struct UnboundedContainer {
  const ValueDecl *Decl = nullptr; ///< VarDecl or FieldDecl
  /// Global, StaticLocal, StaticMember, ThreadLocal or Member.
  StorageKind Storage = StorageKind::Unknown;
  /// Where a thread_local is declared (Global, StaticLocal, StaticMember);
  /// Storage otherwise.
  StorageKind Scope = StorageKind::Unknown;
  std::string Owner; ///< for members: the class with a static instance
  /// Where to report: the declaration, or the first growth in the main file
  /// when the declaration is in a header.
  SourceLocation ReportLoc;
  ContainerKind Kind;
  std::vector<ContainerGrowth> Growths; ///< in source order, deduplicated
  /// A comparison of the size with a bound that guards none of Growths
  /// (a branch elsewhere, an index bound), for a note; invalid if none.
  SourceLocation UnguardingSizeTest;
  /// Why it lives as long as the process when that is not plain static
  /// storage (a local of main(), a member of an object held by one, a heap
  /// object held by a global): where, and in words. Empty otherwise.
  SourceLocation LongLivedLoc;
  std::string LongLivedWhy;
  /// Reported because project facts show that no other translation unit
  /// removes entries (the container is visible to them): where they use it.
  std::vector<ProjectNote> ProjectNotes;
  /// The inner containers of a map of containers (Decl is the outer map,
  /// Kind the inner containers' kind, OuterKind the map's).
  bool Nested = false;
  ContainerKind OuterKind;
};

/// Runs the analysis over \p Ctx's translation unit. Linear in its size.
std::vector<UnboundedContainer>
findUnboundedContainers(ASTContext &Ctx, const ContainerModel &Model,
                        const ContainerUseOptions &Opts);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CONTAINER_CONTAINERUSEINDEX_H
