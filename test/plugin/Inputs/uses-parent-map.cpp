// Input of no-tu-parent-map.test (never compiled). Ctx.getParents(*S) in a
// comment is fine; so is "hasAncestor(" in a string:
/* forCallable(x) in a block comment */
const char *Doc = "hasAncestor(stmt())";
void f(clang::ASTContext &Ctx, const clang::Stmt *S) {
  auto P = Ctx.getParents(*S);
  // isInTemplateInstantiation() is only mentioned here
  auto M = stmt(hasAncestor(functionDecl()));
  auto N = stmt(forCallable(functionDecl()));
}
