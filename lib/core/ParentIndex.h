//===--- ParentIndex.h - leak-tidy ---------------------------------------===//
//
// Parents of the AST nodes of user code, for walking up from a matched node.
//
// Why not ASTContext::getParents: its first call builds the parent map of the
// whole traversal scope, which for clang-tidy is the whole translation unit,
// system headers included -- on real code that costs as much as 20% of the
// parse and over 100 MB. clang-tidy does not match in system headers, so
// nothing leak-tidy reports can sit there. This index covers the same
// traversal scope minus the declarations that live in system headers; a walk
// from a user-code node reaches the translation unit as with getParents.
// Nodes inside system headers have no parents here.
//
// Built lazily, once per ASTContext, shared by every check, freed with the
// ASTContext (registered as one of its deallocations). Safe when several
// ASTContexts live on several threads (clangd); one ASTContext is used by one
// thread at a time, as Clang requires anyway.
//
// The matchers below replace forCallable and isInTemplateInstantiation, which
// would build the translation unit's parent map.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_PARENTINDEX_H
#define LEAK_TIDY_LIB_CORE_PARENTINDEX_H

#include "clang/AST/ASTTypeTraits.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

namespace clang {
class ASTContext;
class Decl;
class FunctionDecl;
class SourceManager;
class Stmt;
namespace leaklib {

class ParentIndex {
public:
  /// The index of \p Ctx, built on first use.
  static const ParentIndex &get(const ASTContext &Ctx);

  /// The parents of \p N (usually one; none for nodes in system headers,
  /// the translation unit, and nodes outside the traversal scope).
  llvm::ArrayRef<DynTypedNode> parents(const DynTypedNode &N) const;
  template <typename T> llvm::ArrayRef<DynTypedNode> parents(const T &N) const {
    return parents(DynTypedNode::create(N));
  }

  /// The function whose body holds \p S: the nearest FunctionDecl above it
  /// (a lambda's call operator for statements in a lambda body), or null.
  const FunctionDecl *enclosingFunction(const Stmt &S) const;

  /// Whether \p S sits in a template instantiation (like the matcher
  /// isInTemplateInstantiation): some path up reaches a declaration that is
  /// an instantiation or is declared inside one.
  bool inTemplateInstantiation(const Stmt &S) const;

  /// Number of nodes with parents (for tests and measurements).
  size_t size() const { return Parents.size(); }

  explicit ParentIndex(const ASTContext &Ctx);

private:
  llvm::DenseMap<const void *, llvm::SmallVector<DynTypedNode, 1>> Parents;
};

/// Whether a traversal that leaves system headers out should skip \p D: a
/// declaration at namespace scope (or in an extern "C" block) whose location
/// is in a system header. Declarations inside a class or function inherit the
/// answer from the declaration that contains them, so only file-level ones
/// are asked about.
bool startsSystemHeaderDecl(const Decl &D, const SourceManager &SM);

/// Whether \p D is a template instantiation or declared inside one, through
/// the declaration contexts (no parent map needed).
bool isInInstantiation(const Decl &D);

/// Like forCallable(Inner), through ParentIndex: matches a statement whose
/// enclosing function matches \p Inner.
ast_matchers::internal::Matcher<Stmt>
forCallableInUserCode(ast_matchers::internal::Matcher<Decl> Inner);

/// Like isInTemplateInstantiation(), through ParentIndex.
ast_matchers::internal::Matcher<Stmt> inTemplateInstantiation();

} // namespace leaklib
} // namespace clang

#endif
