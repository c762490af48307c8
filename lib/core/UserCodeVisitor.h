//===--- UserCodeVisitor.h - leak-tidy ------------------------------------===//
//
// The base of every whole-TU pass: a RecursiveASTVisitor that never enters a
// declaration starting in a system header (the one system-header rule, the
// same as ParentIndex's: a file-level declaration whose expansion location is
// in a system header), and that walks the TU's traversal scope. Template
// patterns are visited, instantiations are not (a derived visitor may say
// otherwise through shouldVisitTemplateInstantiations).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_USERCODEVISITOR_H
#define LEAK_TIDY_LIB_CORE_USERCODEVISITOR_H

#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace clang {
namespace leaklib {

template <typename Derived>
class UserCodeVisitor : public RecursiveASTVisitor<Derived> {
  using Base = RecursiveASTVisitor<Derived>;

public:
  explicit UserCodeVisitor(ASTContext &Ctx) : Ctx(Ctx) {}

  /// Walks every declaration of the TU's traversal scope.
  void traverseUserCode() {
    for (Decl *D : Ctx.getTraversalScope())
      static_cast<Derived *>(this)->TraverseDecl(D);
  }

  bool TraverseDecl(Decl *D) {
    if (D && startsSystemHeaderDecl(*D, Ctx.getSourceManager()))
      return true;
    return Base::TraverseDecl(D);
  }

  bool shouldVisitLambdaBody() const { return true; }

protected:
  ASTContext &Ctx;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_USERCODEVISITOR_H
