// The same file after the fixes: no diagnostics at all.
void use(int *);

void f() {
  int *p = nullptr;
  use(p);
}
