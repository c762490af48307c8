//===--- StorageFacts.h - leak-tidy --------------------------------------===//
//
// Does this storage live for the whole program? Static storage duration,
// thread_local, static data members, and members of objects that themselves
// live for the program (globals of class type, Meyers singletons).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_STORAGEFACTS_H
#define LEAK_TIDY_LIB_CORE_STORAGEFACTS_H

namespace clang {
class ASTContext;
class CXXRecordDecl;
class Expr;
class VarDecl;
namespace leaklib {

/// Namespace-scope, static local, static data member or thread_local.
bool hasProgramLifetime(const VarDecl *V);

/// Whether the class has an instance that lives for the program: a global
/// or static variable of that type, or a function returning a reference or
/// pointer to a static local of that type (Meyers singleton). Looks through
/// the whole translation unit once per class and caches the answer in
/// \p Ctx's lifetime (callers keep a StaticInstanceIndex).
class StaticInstanceIndex {
public:
  explicit StaticInstanceIndex(ASTContext &Ctx) : Ctx(Ctx) {}
  bool hasStaticInstance(const CXXRecordDecl *RD);

private:
  void build();
  ASTContext &Ctx;
  bool Built = false;
  struct Impl;
  Impl *P = nullptr;

public:
  ~StaticInstanceIndex();
  StaticInstanceIndex(const StaticInstanceIndex &) = delete;
  StaticInstanceIndex &operator=(const StaticInstanceIndex &) = delete;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_STORAGEFACTS_H
