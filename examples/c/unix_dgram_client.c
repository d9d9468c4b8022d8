/* Seed 000, datagrams over AF_UNIX (client): bind an address of its own (only the family: Linux
 * autobinds an abstract name) so the server can answer, send one datagram, print the answer. The
 * twin of examples/unix-dgram-client.ts.
 * Usage: unix_dgram_client <path> [message] */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void print_name(const struct sockaddr_un *a, socklen_t len) {
  size_t n = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
  if (n == 0) printf("(unnamed)");
  else if (a->sun_path[0] == '\0') printf("@%.*s", (int)(n - 1), a->sun_path + 1);
  else printf("%.*s", (int)strnlen(a->sun_path, n), a->sun_path);
}

int main(int argc, char *argv[]) {
  const char *path = argc > 1 ? argv[1] : "unix_dgram_socket";
  const char *message = argc > 2 ? argv[2] : "Hello from the client";
  struct sockaddr_un addr, self;
  if (strlen(path) >= sizeof addr.sun_path) {
    fprintf(stderr, "path too long for sun_path\n");
    return 1;
  }
  int sockfd = socket(AF_UNIX, SOCK_DGRAM, 0);
  memset(&self, 0, sizeof self);
  self.sun_family = AF_UNIX;
  if (bind(sockfd, (struct sockaddr *)&self, sizeof(sa_family_t)) < 0) { /* autobind */
    perror("bind");
    return 1;
  }
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  if (sendto(sockfd, message, strlen(message), 0, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("sendto");
    return 1;
  }
  char buf[257];
  struct sockaddr_un src;
  socklen_t len = sizeof src;
  ssize_t n = recvfrom(sockfd, buf, 256, 0, (struct sockaddr *)&src, &len);
  buf[n > 0 ? n : 0] = '\0';
  printf("Received: %s from ", buf);
  print_name(&src, len);
  printf("\n");
  close(sockfd);
  return 0;
}
