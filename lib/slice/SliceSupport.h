//===--- SliceSupport.h - leak-tidy ---------------------------------------===//
//
// Private to lib/slice: the small AST facts the slice model's parts share
// (single parents, element types, sizes of types, references to a local).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_SLICE_SLICESUPPORT_H
#define LEAK_TIDY_LIB_SLICE_SLICESUPPORT_H

#include "lib/slice/SliceModel.h"
#include "clang/AST/ASTTypeTraits.h"
#include <optional>
#include <vector>

namespace clang {
class DeclRefExpr;
namespace leaklib {
namespace slice {

/// The single parent of \p N (none when the node has several parents, e.g.
/// shared between template instantiations).
DynTypedNode parentOf(const DynTypedNode &N, ASTContext &Ctx);

/// The parent of \p E above its parens and implicit casts; \p Child is E
/// with them, \p DeclParent the parent node (a VarDecl for an initializer).
const Stmt *usingParent(const Expr *E, ASTContext &Ctx, const Expr **Child,
                        DynTypedNode *DeclParent = nullptr);

/// A function \p Name of the C library or namespace std (inline namespaces
/// such as std::__1 included).
bool isStdFunction(const FunctionDecl *FD, llvm::StringRef Name);

/// The element type of a container of family \p F (char for the strings).
QualType elementType(QualType T, BufferFamily F, const ASTContext &Ctx);

/// sizeof(T) in bytes (void counts 1); none for incomplete or dependent
/// types.
std::optional<uint64_t> sizeOfType(QualType T, const ASTContext &Ctx);

bool isIntegral(const Expr *E);

/// The references to \p V in its function (lambda bodies included); at
/// most 4096.
std::vector<const DeclRefExpr *> refsInFunction(const VarDecl *V);

} // namespace slice
} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_SLICE_SLICESUPPORT_H
