//===--- SliceSupport.cpp - leak-tidy -------------------------------------===//
#include "lib/slice/SliceSupport.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/ParentIndex.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"

namespace clang {
namespace leaklib {
namespace slice {

DynTypedNode parentOf(const DynTypedNode &N, ASTContext &Ctx) {
  llvm::ArrayRef<DynTypedNode> Parents = ParentIndex::get(Ctx).parents(N);
  if (Parents.size() != 1)
    return DynTypedNode();
  return Parents[0];
}

const Stmt *usingParent(const Expr *E, ASTContext &Ctx, const Expr **Child,
                        DynTypedNode *DeclParent) {
  DynTypedNode N = DynTypedNode::create(*E);
  const Expr *Cur = E;
  for (unsigned Depth = 0; Depth < 32; ++Depth) {
    DynTypedNode P = parentOf(N, Ctx);
    const auto *PE = P.get<Expr>();
    if (PE && (isa<ParenExpr>(PE) || isa<ImplicitCastExpr>(PE))) {
      Cur = PE;
      N = P;
      continue;
    }
    *Child = Cur;
    if (DeclParent)
      *DeclParent = P;
    return P.get<Stmt>();
  }
  *Child = Cur;
  return nullptr;
}

bool isStdFunction(const FunctionDecl *FD, llvm::StringRef Name) {
  if (!FD || !FD->getIdentifier() || FD->getName() != Name)
    return false;
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if (DC->isTranslationUnit() || DC->isExternCContext())
    return true;
  while (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
    if (!NS->isInline())
      return NS->getName() == "std" &&
             NS->getDeclContext()->getRedeclContext()->isTranslationUnit();
    DC = NS->getDeclContext()->getRedeclContext();
  }
  return false;
}

QualType elementType(QualType T, BufferFamily F, const ASTContext &Ctx) {
  switch (F) {
  case BufferFamily::QtByteArray:
    return Ctx.CharTy;
  case BufferFamily::QtString:
    return Ctx.Char16Ty;
  case BufferFamily::None:
    return QualType();
  default:
    break;
  }
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

std::optional<uint64_t> sizeOfType(QualType T, const ASTContext &Ctx) {
  if (T.isNull() || T->isDependentType() || T->isIncompleteType() ||
      T->isFunctionType())
    return T.isNull() || !T->isVoidType() ? std::nullopt
                                          : std::optional<uint64_t>(1);
  return static_cast<uint64_t>(Ctx.getTypeSizeInChars(T).getQuantity());
}

bool isIntegral(const Expr *E) {
  return E && E->getType()->isIntegralOrUnscopedEnumerationType();
}

std::vector<const DeclRefExpr *> refsInFunction(const VarDecl *V) {
  std::vector<const DeclRefExpr *> Refs;
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  if (!FD || !FD->getBody())
    return Refs;
  forEachStmt(
      FD->getBody(),
      [&](const Stmt *S) {
        if (const auto *E = dyn_cast<DeclRefExpr>(S); E && E->getDecl() == V)
          Refs.push_back(E);
        return Refs.size() < 4096 ? Walk::Continue : Walk::Stop;
      },
      LambdaPolicy::Enter);
  return Refs;
}

} // namespace slice
} // namespace leaklib
} // namespace clang
