/* Seed 000, "Unix Socket demo" (client): connect to the socket file, send, print the answer. The
 * twin of examples/unix-stream-client.ts.
 * Usage: unix_stream_client <path> [message] */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char *argv[]) {
  const char *path = argc > 1 ? argv[1] : "unix_socket";
  const char *message = argc > 2 ? argv[2] : "Hello from the client";
  struct sockaddr_un addr;
  if (strlen(path) >= sizeof addr.sun_path) {
    fprintf(stderr, "path too long for sun_path\n");
    return 1;
  }
  int sockfd = socket(AF_UNIX, SOCK_STREAM, 0);
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  strcpy(addr.sun_path, path);
  if (connect(sockfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    perror("connect");
    return 1;
  }
  send(sockfd, message, strlen(message), 0);
  char buf[257];
  ssize_t n = recv(sockfd, buf, 256, 0);
  buf[n > 0 ? n : 0] = '\0';
  printf("Received: %s\n", buf);
  close(sockfd);
  return 0;
}
