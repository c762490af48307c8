//===--- StorageFacts.cpp - leak-tidy ------------------------------------===//
#include "lib/core/StorageFacts.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/DenseSet.h"

namespace clang {
namespace leaklib {

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
  StaticInstanceCollector(llvm::DenseSet<const CXXRecordDecl *> &Out,
                          const SourceManager &SM)
      : Out(Out), SM(SM) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  // Static objects declared in system headers (std::cout ...) are of system
  // classes, which no check asks about: skipping them keeps the walk to user
  // code.
  bool TraverseDecl(Decl *D) {
    if (D && startsSystemHeaderDecl(*D, SM))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }
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
  const SourceManager &SM;
};
} // namespace

void StaticInstanceIndex::build() {
  Built = true;
  P = new Impl;
  StaticInstanceCollector C(P->Classes, Ctx.getSourceManager());
  C.TraverseDecl(Ctx.getTranslationUnitDecl());
}

bool StaticInstanceIndex::hasStaticInstance(const CXXRecordDecl *RD) {
  if (!RD)
    return false;
  if (!Built)
    build();
  return P->Classes.count(RD->getCanonicalDecl()) != 0;
}

} // namespace leaklib
} // namespace clang
