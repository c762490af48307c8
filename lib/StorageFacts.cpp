//===--- StorageFacts.cpp - leak-tidy ------------------------------------===//
#include "lib/StorageFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leak {

bool hasProgramLifetime(const VarDecl *V) {
  if (!V)
    return false;
  return V->hasGlobalStorage() || V->getTLSKind() != VarDecl::TLS_None;
}

struct StaticInstanceIndex::Impl {
  llvm::DenseSet<const CXXRecordDecl *> Classes;
};

StaticInstanceIndex::~StaticInstanceIndex() { delete P; }

namespace {
class StaticInstanceCollector
    : public RecursiveASTVisitor<StaticInstanceCollector> {
public:
  explicit StaticInstanceCollector(llvm::DenseSet<const CXXRecordDecl *> &Out)
      : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitVarDecl(VarDecl *V) {
    if (!hasProgramLifetime(V))
      return true;
    QualType T = V->getType();
    if (T->isReferenceType() || T->isPointerType())
      return true;
    if (const auto *RD = T->getBaseElementTypeUnsafe()->getAsCXXRecordDecl())
      Out.insert(RD->getCanonicalDecl());
    return true;
  }

private:
  llvm::DenseSet<const CXXRecordDecl *> &Out;
};
} // namespace

void StaticInstanceIndex::build() {
  Built = true;
  P = new Impl;
  StaticInstanceCollector C(P->Classes);
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool StaticInstanceIndex::hasStaticInstance(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  if (!Built)
    build();
  return P->Classes.count(RD->getCanonicalDecl()) != 0;
}

} // namespace leak
} // namespace clang
