/* Seed 001, the echo client with lookup_host(). The twin of examples/echo-client.ts.
 * Usage: echo_client <host> <port> (requests from stdin, echoes to stdout) */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAXIN 4096

/* getting the server addresss */
static struct addrinfo *lookup_host(const char *host_name, const char *port_name) {
  struct addrinfo *server;
  struct addrinfo hints;
  memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rv = getaddrinfo(host_name, port_name, &hints, &server);
  if (rv != 0) {
    printf("getaddrinfo failed: %s\n", gai_strerror(rv));
    return NULL;
  }
  return server;
}

static void run_client(int sockfd) {
  char sndbuf[MAXIN], rcvbuf[MAXIN];
  for (;;) {
    ssize_t len = read(STDIN_FILENO, sndbuf, MAXIN);
    if (len <= 0) return;
    write(sockfd, sndbuf, len); /* send */
    for (ssize_t got = 0; got < len;) {
      ssize_t n = read(sockfd, rcvbuf, len - got); /* receive */
      if (n <= 0) return;
      write(STDOUT_FILENO, rcvbuf, n); /* echo */
      got += n;
    }
  }
}

int main(int argc, char *argv[]) {
  const char *host_name = argc > 1 ? argv[1] : "localhost";
  const char *port_name = argc > 2 ? argv[2] : "2021";
  struct addrinfo *server = lookup_host(host_name, port_name);
  if (server == NULL) return 1;
  int sock_fd = socket(server->ai_family, server->ai_socktype, server->ai_protocol);
  if (sock_fd < 0 || connect(sock_fd, server->ai_addr, server->ai_addrlen) < 0) {
    perror("connect");
    return 1;
  }
  freeaddrinfo(server);
  run_client(sock_fd);
  close(sock_fd);
  return 0;
}
