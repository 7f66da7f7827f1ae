#include <stdio.h>
int main(void) { puts("alpcgraph"); return 0; }
